package retention

import (
	"context"
	"slices"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
)

// maxAsk bounds the customers one retention request names.
const maxAsk = 1000

// RequestRetention notes retention asked for the customers (those asked
// for in the last 30 days are left alone) and has the playbooks with a
// churn_risk step plan their tasks now; when no enabled playbook has one,
// the built-in retention playbook is added, enabled.
func (s *Service) RequestRetention(ctx context.Context, r kewei.RetentionRequest) (*kewei.RetentionResult, error) {
	if len(r.Customers) == 0 || len(r.Customers) > maxAsk {
		var p kewei.Problems
		p.Add("customers", kewei.ReasonOutOfRange, "name 1 to %d customers", maxAsk)
		return nil, p.Err()
	}
	ids := slices.Clone(r.Customers)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var modelID int64
	if lm, err := s.active(ctx); err != nil {
		return nil, err
	} else if lm != nil {
		modelID = lm.info.ID
	}
	now := s.now()
	fresh, err := s.Store.RecordRetention(ctx, ids, kewei.DateOf(now.In(s.loc())), modelID)
	if err != nil {
		return nil, err
	}
	res := &kewei.RetentionResult{Requested: len(fresh), Already: len(ids) - len(fresh)}
	if len(fresh) == 0 {
		return res, nil
	}
	sys := system(ctx)
	if res.PlaybookID, err = s.retentionPlaybook(sys); err != nil {
		return nil, err
	}
	res.Tasks, err = s.Planner.PlanFor(sys, fresh, now)
	return res, err
}

// retentionPlaybook is an enabled playbook with a churn_risk step, added
// from the built-in template when there is none.
func (s *Service) retentionPlaybook(ctx context.Context) (int64, error) {
	all, err := s.Planner.FindPlaybooks(ctx)
	if err != nil {
		return 0, err
	}
	for _, pb := range all {
		if !pb.Enabled {
			continue
		}
		for _, st := range pb.Steps {
			if st.Trigger == kewei.TriggerEvent && st.Event == kewei.EventChurnRisk {
				return pb.ID, nil
			}
		}
	}
	pb := &kewei.Playbook{Template: playbook.TemplateRetention, Enabled: true}
	if err := s.Planner.CreatePlaybook(ctx, pb); err != nil {
		return 0, err
	}
	return pb.ID, nil
}
