package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// OpportunityService keeps the pipeline's stages, opportunities and
// contracts.
type OpportunityService struct{ db *DB }

// NewOpportunityService returns the pipeline of db.
func NewOpportunityService(db *DB) *OpportunityService { return &OpportunityService{db: db} }

var _ kewei.OpportunityService = (*OpportunityService)(nil)

func readStages(ctx context.Context, tx *Tx) ([]kewei.PipelineStage, error) {
	var out []kewei.PipelineStage
	err := eachRow(ctx, tx, `SELECT id, name, name_en, probability, kind FROM pipeline_stages ORDER BY position, id`, nil, func(r scanner) error {
		var s kewei.PipelineStage
		err := r.Scan(&s.ID, &s.Name, &s.NameEN, &s.Probability, &s.Kind)
		out = append(out, s)
		return err
	})
	return out, err
}

// Stages lists the stages in order.
func (s *OpportunityService) Stages(ctx context.Context) ([]kewei.PipelineStage, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []kewei.PipelineStage
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = readStages(ctx, tx)
		return err
	})
	return out, err
}

// validStages names what is wrong with a list of stages: each needs a
// name and a probability, and the list at least one stage of each kind.
func validStages(stages []kewei.PipelineStage) error {
	var p kewei.Problems
	kinds := map[kewei.StageKind]int{}
	for i := range stages {
		st := &stages[i]
		st.Name, st.NameEN = strings.TrimSpace(st.Name), strings.TrimSpace(st.NameEN)
		field := fmt.Sprintf("stages[%d]", i)
		switch {
		case st.Name == "":
			p.Add(field+".name", kewei.ReasonRequired, "name the stage")
		case len([]rune(st.Name)) > 40 || len([]rune(st.NameEN)) > 60:
			p.Add(field+".name", kewei.ReasonTooLong, "at most 40 characters")
		}
		if st.Probability < 0 || st.Probability > 100 {
			p.Add(field+".probability", kewei.ReasonOutOfRange, "a percentage from 0 to 100")
		}
		if !slices.Contains(kewei.StageKinds, st.Kind) {
			p.Add(field+".kind", kewei.ReasonUnknownChoice, "open, won or lost")
		}
		kinds[st.Kind]++
	}
	for _, k := range kewei.StageKinds {
		if kinds[k] == 0 {
			p.Add("stages", kewei.ReasonRequired, "the pipeline needs at least one %s stage", k)
		}
	}
	return p.Err()
}

// SetStages replaces the stages in the order given: stages with an id are
// kept (renamed, moved), new ones added, and those left out removed when
// no opportunity is in them.
func (s *OpportunityService) SetStages(ctx context.Context, stages []kewei.PipelineStage) ([]kewei.PipelineStage, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := validStages(stages); err != nil {
		return nil, err
	}
	var out []kewei.PipelineStage
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := readStages(ctx, tx)
		if err != nil {
			return err
		}
		keep := map[int64]bool{}
		for i, st := range stages {
			if st.ID != 0 {
				res, err := tx.exec(ctx, `UPDATE pipeline_stages SET position = ?, name = ?, name_en = ?, probability = ?, kind = ? WHERE id = ?`,
					i+1, st.Name, st.NameEN, st.Probability, st.Kind, st.ID)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					var p kewei.Problems
					p.Add(fmt.Sprintf("stages[%d].id", i), kewei.ReasonUnknownChoice, "there is no stage %d", st.ID)
					return p.Err()
				}
				keep[st.ID] = true
				continue
			}
			id := tx.db.ids.next()
			if _, err := tx.exec(ctx, `INSERT INTO pipeline_stages (id, position, name, name_en, probability, kind) VALUES (?, ?, ?, ?, ?, ?)`,
				id, i+1, st.Name, st.NameEN, st.Probability, st.Kind); err != nil {
				return err
			}
			keep[id] = true
		}
		for _, st := range old {
			if keep[st.ID] {
				continue
			}
			var n int
			if _, err := tx.get(ctx, `SELECT COUNT(*) FROM opportunities WHERE stage_id = ?`, []any{st.ID}, &n); err != nil {
				return err
			}
			if n > 0 {
				return kewei.Errorf(kewei.ECONFLICT, "stage %q still holds %d opportunities; move them first", st.Name, n)
			}
			if _, err := tx.exec(ctx, `DELETE FROM pipeline_stages WHERE id = ?`, st.ID); err != nil {
				return err
			}
		}
		if out, err = readStages(ctx, tx); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "pipeline_stages", 0, 0, old, out)
	})
	return out, err
}

const (
	opportunityCols = `o.id, o.customer_id, c.name, COALESCE(o.owner_id, 0), COALESCE(u.display_name, ''), o.name, o.stage_id,
	st.name, st.name_en, st.kind, o.amount, o.expected_close, o.probability, o.campaign_id, o.note, o.created_at, o.updated_at,
	o.closed_at, o.version`
	opportunityJoins = `JOIN customers c ON c.id = o.customer_id JOIN pipeline_stages st ON st.id = o.stage_id
	LEFT JOIN users u ON u.id = o.owner_id`
	opportunitySelect = `SELECT ` + opportunityCols + ` FROM opportunities o ` + opportunityJoins
)

func scanOpportunity(s scanner) (*kewei.Opportunity, error) {
	o := &kewei.Opportunity{}
	var closed int64
	err := s.Scan(&o.ID, &o.CustomerID, &o.CustomerName, &o.OwnerID, &o.OwnerName, &o.Name, &o.StageID, &o.StageName, &o.StageNameEN,
		&o.StageKind, &o.Amount, &o.ExpectedClose, &o.Probability, &o.CampaignID, &o.Note, instant{&o.CreatedAt}, instant{&o.UpdatedAt},
		&closed, &o.Version)
	o.ClosedAt = fromMS(closed)
	o.Weighted = o.Amount * kewei.Money(o.Probability) / 100
	return o, err
}

// checkCampaign makes sure an opportunity's campaign exists.
func checkCampaign(ctx context.Context, tx *Tx, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := findCampaign(ctx, tx, id); kewei.ErrorCode(err) == kewei.ENOTFOUND {
		var p kewei.Problems
		p.Add("campaign_id", kewei.ReasonUnknownChoice, "there is no campaign %d", id)
		return p.Err()
	} else if err != nil {
		return err
	}
	return nil
}

// stageOf reads a stage; an unknown one is the field's error.
func stageOf(ctx context.Context, tx *Tx, id int64) (kewei.PipelineStage, error) {
	st := kewei.PipelineStage{ID: id}
	found, err := tx.get(ctx, `SELECT name, name_en, probability, kind FROM pipeline_stages WHERE id = ?`, []any{id},
		&st.Name, &st.NameEN, &st.Probability, &st.Kind)
	if err == nil && !found {
		var p kewei.Problems
		p.Add("stage_id", kewei.ReasonUnknownChoice, "there is no stage %d", id)
		err = p.Err()
	}
	return st, err
}

// CreateOpportunity opens an opportunity on a customer in scope, owned by
// the signed-in user.
func (s *OpportunityService) CreateOpportunity(ctx context.Context, o *kewei.Opportunity) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	probability := o.Probability
	if err := o.Validate(); err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, o.CustomerID); err != nil {
			return err
		}
		if o.StageID == 0 {
			if _, err := tx.get(ctx, `SELECT id FROM pipeline_stages WHERE kind = ? ORDER BY position LIMIT 1`, []any{kewei.PipelineOpen}, &o.StageID); err != nil {
				return err
			}
		}
		st, err := stageOf(ctx, tx, o.StageID)
		if err != nil {
			return err
		}
		if err := checkCampaign(ctx, tx, o.CampaignID); err != nil {
			return err
		}
		if probability == 0 {
			o.Probability = st.Probability
		}
		var closed int64
		if st.Kind != kewei.PipelineOpen {
			closed = ms(tx.now)
		}
		o.ID, o.OwnerID, o.Version = tx.db.ids.next(), a.UserID, 1
		if _, err := tx.exec(ctx, `INSERT INTO opportunities (id, customer_id, owner_id, name, stage_id, amount, expected_close, probability,
			campaign_id, note, created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, o.CustomerID, nullID(a.UserID), o.Name, o.StageID, o.Amount, o.ExpectedClose, o.Probability, o.CampaignID, o.Note,
			ms(tx.now), ms(tx.now), closed); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "opportunity", o.ID, o.CustomerID, nil, o)
	})
	return s.db.denied(ctx, err)
}

func findOpportunity(ctx context.Context, tx *Tx, id int64) (*kewei.Opportunity, error) {
	o, err := queryOne(ctx, tx, scanOpportunity, kewei.Errorf(kewei.ENOTFOUND, "opportunity %d not found", id), opportunitySelect+` WHERE o.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if _, err := visibleCustomer(ctx, tx, o.CustomerID); err != nil {
		return nil, err
	}
	return o, nil
}

// FindOpportunity reads an opportunity of a customer in scope.
func (s *OpportunityService) FindOpportunity(ctx context.Context, id int64) (*kewei.Opportunity, error) {
	var o *kewei.Opportunity
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		o, err = findOpportunity(ctx, tx, id)
		return err
	})
	return o, s.db.denied(ctx, err)
}

func opportunityWhere(a *kewei.Actor, f kewei.OpportunityFilter) where {
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Mine {
		w = w.and(`o.owner_id = ?`, a.UserID)
	}
	if f.Stage != 0 {
		w = w.and(`o.stage_id = ?`, f.Stage)
	}
	if f.Customer != 0 {
		w = w.and(`o.customer_id = ?`, f.Customer)
	}
	if f.Open {
		w = w.and(`st.kind = ?`, kewei.PipelineOpen)
	}
	return w
}

// FindOpportunities lists opportunities in scope, soonest expected close
// first (the kanban gives them by stage); one customer's come newest first,
// through the (customer, created) index, which PostgreSQL would otherwise
// pass over for the expected-close one.
func (s *OpportunityService) FindOpportunities(ctx context.Context, f kewei.OpportunityFilter) ([]*kewei.Opportunity, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := opportunityWhere(a, f)
	limit := f.Limit
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = kewei.MaxLimit
	}
	order := ` ORDER BY o.expected_close, o.id LIMIT ?`
	if f.Customer != 0 {
		order = ` ORDER BY o.created_at DESC, o.id DESC LIMIT ?`
	}
	out := []*kewei.Opportunity{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, opportunitySelect+w.sql()+order, append(w.args, limit),
			func(r scanner) error {
				o, err := scanOpportunity(r)
				if err == nil {
					out = append(out, o)
				}
				return err
			})
	})
	return out, err
}

// UpdateOpportunity applies a patch. Moving to another stage takes the
// stage's probability unless the patch names one; entering a won or lost
// stage closes the opportunity, leaving it opens it again.
func (s *OpportunityService) UpdateOpportunity(ctx context.Context, id int64, p kewei.Patch) (*kewei.Opportunity, error) {
	var o *kewei.Opportunity
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if o, err = findOpportunity(ctx, tx, id); err != nil {
			return err
		}
		if o.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "opportunity %d was changed by someone else; reload and try again", id)
		}
		before := *o
		if err := p.Apply(o); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if o.CampaignID != before.CampaignID {
			if err := checkCampaign(ctx, tx, o.CampaignID); err != nil {
				return err
			}
		}
		if o.StageID != before.StageID {
			st, err := stageOf(ctx, tx, o.StageID)
			if err != nil {
				return err
			}
			if _, named := p.Fields["probability"]; !named {
				o.Probability = st.Probability
			}
			switch {
			case st.Kind != kewei.PipelineOpen:
				o.ClosedAt = tx.now
			default:
				o.ClosedAt = fromMS(0)
			}
			o.StageName, o.StageNameEN, o.StageKind = st.Name, st.NameEN, st.Kind
		}
		o.UpdatedAt, o.Version = tx.now, o.Version+1
		o.Weighted = o.Amount * kewei.Money(o.Probability) / 100
		if _, err := tx.exec(ctx, `UPDATE opportunities SET name = ?, stage_id = ?, amount = ?, expected_close = ?, probability = ?,
			campaign_id = ?, note = ?, updated_at = ?, closed_at = ?, version = ? WHERE id = ?`, o.Name, o.StageID, o.Amount, o.ExpectedClose,
			o.Probability, o.CampaignID, o.Note, ms(o.UpdatedAt), ms(o.ClosedAt), o.Version, o.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "opportunity", o.ID, o.CustomerID, &before, o)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return o, nil
}

// FindPipeline gathers the kanban: each stage with its count, amounts and
// first opportunities, within the actor's scope.
func (s *OpportunityService) FindPipeline(ctx context.Context, f kewei.OpportunityFilter) (*kewei.Pipeline, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	pl := &kewei.Pipeline{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		stages, err := readStages(ctx, tx)
		if err != nil {
			return err
		}
		byStage := map[int64]*kewei.PipelineColumn{}
		for _, st := range stages {
			col := &kewei.PipelineColumn{Stage: st, Opportunities: []*kewei.Opportunity{}}
			pl.Columns = append(pl.Columns, col)
			byStage[st.ID] = col
		}
		f.Stage = 0
		w := opportunityWhere(a, f)
		// The counts join the customers only to apply a scope, and the
		// stages only to keep the open ones: each join costs a lookup per
		// opportunity.
		from := ` FROM opportunities o`
		if cond, _ := scopeCond(a, "c"); cond != "" {
			from += ` JOIN customers c ON c.id = o.customer_id`
		}
		if f.Open {
			from += ` JOIN pipeline_stages st ON st.id = o.stage_id`
		}
		if err := eachRow(ctx, tx, `SELECT o.stage_id, COUNT(*), COALESCE(SUM(o.amount), 0), COALESCE(SUM(o.amount * o.probability), 0)`+
			from+w.sql()+` GROUP BY o.stage_id`, w.args, func(r scanner) error {
			var id int64
			var n int
			var amount, weighted kewei.Money
			if err := r.Scan(&id, &n, &amount, &weighted); err != nil {
				return err
			}
			if col := byStage[id]; col != nil {
				col.Count, col.Amount, col.Weighted = n, amount, weighted/100
			}
			return nil
		}); err != nil {
			return err
		}
		// The cards: for a narrow scope, one pass numbering each stage's
		// opportunities; for everyone's, each stage's first hundred through
		// the (stage, expected close) index.
		add := func(r scanner) error {
			o, err := scanOpportunity(r)
			if col := byStage[o.StageID]; err == nil && col != nil {
				col.Opportunities = append(col.Opportunities, o)
			}
			return err
		}
		if cond, _ := scopeCond(a, "c"); cond != "" {
			return eachRow(ctx, tx, `SELECT `+opportunityCols+` FROM (SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.stage_id
				ORDER BY o.expected_close, o.id) AS rn FROM opportunities o JOIN customers c ON c.id = o.customer_id`+w.sql()+`) o
				`+opportunityJoins+` WHERE o.rn <= 100 ORDER BY o.stage_id, o.expected_close, o.id`, w.args, add)
		}
		for _, col := range pl.Columns {
			if col.Count == 0 {
				continue
			}
			cw := w.and(`o.stage_id = ?`, col.Stage.ID)
			if err := eachRow(ctx, tx, opportunitySelect+cw.sql()+` ORDER BY o.expected_close, o.id LIMIT 100`, cw.args, add); err != nil {
				return err
			}
		}
		return nil
	})
	return pl, err
}
