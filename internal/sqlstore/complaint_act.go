package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// ActOnComplaint moves a complaint one step, recording it in the history
// and the audit log.
func (s *ComplaintService) ActOnComplaint(ctx context.Context, id int64, st kewei.ComplaintStep) (*kewei.Complaint, error) {
	var k *kewei.Complaint
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if k, err = findComplaint(ctx, tx, id); err != nil {
			return err
		}
		if k.Version != st.Version {
			return kewei.Errorf(kewei.ECONFLICT, "complaint %d was changed by someone else (now version %d, you sent %d); reload and try again",
				id, k.Version, st.Version)
		}
		causes, err := rootCauses(ctx, tx)
		if err != nil {
			return err
		}
		before := *k
		to, err := kewei.NextComplaintStatus(k, &st, causes)
		if err != nil {
			return err
		}
		now := tx.now
		if k.AcknowledgedAt.IsZero() && st.Action != kewei.ActWait {
			k.AcknowledgedAt = now // the first response stops the response clock
		}
		switch st.Action {
		case kewei.ActResolve:
			k.ResolvedAt = now
		case kewei.ActConfirm:
			k.Confirmation = st.Confirmation
		case kewei.ActClose:
			k.ClosedAt, k.RootCause, k.CorrectiveAction = now, st.RootCause, st.CorrectiveAction
		case kewei.ActReopen:
			k.ResolvedAt, k.ClosedAt, k.Confirmation = time0, time0, ""
		case kewei.ActWait:
			k.PausedSince, k.Waiting = now, true
		case kewei.ActResume:
			k.PausedSince, k.Waiting = time0, false
		}
		if to != kewei.ComplaintInvestigating && to != kewei.ComplaintAcknowledged && to != kewei.ComplaintProposed && k.Waiting {
			k.PausedSince, k.Waiting = time0, false // a resolved complaint waits on nobody
		}
		from := k.Status
		k.Status, k.Version = to, k.Version+1
		if _, err := tx.exec(ctx, `UPDATE complaints SET status = ?, root_cause = ?, corrective_action = ?, confirmation = ?, acknowledged_at = ?,
			resolved_at = ?, closed_at = ?, paused_since = ?, version = ? WHERE id = ?`, k.Status, k.RootCause, k.CorrectiveAction, k.Confirmation,
			ms(k.AcknowledgedAt), ms(k.ResolvedAt), ms(k.ClosedAt), ms(k.PausedSince), k.Version, k.ID); err != nil {
			return err
		}
		if err := complaintEvent(ctx, tx, k, st.Action, from, to, strings.TrimSpace(st.Note)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "complaint", k.ID, k.CustomerID, &before, k)
	})
	return k, s.db.denied(ctx, err)
}

// OpenComplaints lists every complaint not closed; administrators and the
// system only.
func (s *ComplaintService) OpenComplaints(ctx context.Context) ([]*kewei.Complaint, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.FindComplaints(ctx, kewei.ComplaintFilter{Open: true, Limit: kewei.MaxLimit})
}

// EscalateComplaint gives the complaint to the manager of the customer's
// owner's team (level 1) or of that team's parent team (level 2), when
// there is one, and records the level either way.
func (s *ComplaintService) EscalateComplaint(ctx context.Context, id int64, level int) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		k, err := findComplaint(ctx, tx, id)
		if err != nil {
			return err
		}
		if level <= k.EscalationLevel {
			return nil
		}
		q := `SELECT COALESCE(t.manager_id, 0) FROM customers c JOIN users u ON u.id = c.owner_id JOIN teams t ON t.id = u.team_id WHERE c.id = ?`
		if level >= 2 {
			q = `SELECT COALESCE(pt.manager_id, 0) FROM customers c JOIN users u ON u.id = c.owner_id JOIN teams t ON t.id = u.team_id
				JOIN teams pt ON pt.id = t.parent_id WHERE c.id = ?`
		}
		var to int64
		if _, err := tx.get(ctx, q, []any{k.CustomerID}, &to); err != nil {
			return err
		}
		if to == 0 {
			to = k.AssigneeID // nobody above: it stays, at the new level
		}
		before := *k
		k.AssigneeID, k.EscalationLevel, k.Version = to, level, k.Version+1
		if _, err := tx.exec(ctx, `UPDATE complaints SET assignee_id = ?, escalation_level = ?, version = ? WHERE id = ?`,
			k.AssigneeID, k.EscalationLevel, k.Version, k.ID); err != nil {
			return err
		}
		if err := complaintEvent(ctx, tx, k, "escalate", k.Status, k.Status, ""); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "complaint", k.ID, k.CustomerID, &before, k)
	})
}

func rootCauses(ctx context.Context, tx *Tx) ([]string, error) {
	var out []string
	err := eachRow(ctx, tx, `SELECT name FROM root_causes ORDER BY position, name`, nil, func(r scanner) error {
		var n string
		err := r.Scan(&n)
		out = append(out, n)
		return err
	})
	return out, err
}

// RootCauses reads the taxonomy; anyone signed in may.
func (s *ComplaintService) RootCauses(ctx context.Context) ([]string, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []string
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = rootCauses(ctx, tx)
		return err
	})
	return out, err
}

// SetRootCauses replaces the taxonomy; administrators only, audited.
func (s *ComplaintService) SetRootCauses(ctx context.Context, causes []string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var clean []string
	for _, c := range causes {
		if c = strings.TrimSpace(c); c != "" && len(c) <= 100 && !slices.Contains(clean, c) {
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		var p kewei.Problems
		p.Add("causes", kewei.ReasonRequired, "keep at least one root cause")
		return p.Err()
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := rootCauses(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM root_causes`); err != nil {
			return err
		}
		for i, c := range clean {
			if _, err := tx.exec(ctx, `INSERT INTO root_causes (name, position) VALUES (?, ?)`, c, i+1); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionUpdate, "root_causes", 0, 0, old, clean)
	})
}

// time0 is the zero time: "not yet".
var time0 time.Time

// ComplaintOutcomes counts what complainants did after complaining, and
// what everyone else in scope did in the period.
func (s *ComplaintService) ComplaintOutcomes(ctx context.Context, from, to time.Time) (*kewei.OutcomeCounts, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	out := &kewei.OutcomeCounts{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		inPeriod := where{}.and(`k.received_at >= ? AND k.received_at < ?`, ms(from), ms(to))
		for _, c := range w.conds {
			inPeriod.conds = append(inPeriod.conds, c)
		}
		inPeriod.args = append(inPeriod.args, w.args...)
		if _, err := tx.get(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = x.id AND t.occurred_at > x.first) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.stage = 'lost' THEN 1 ELSE 0 END), 0)
			FROM (SELECT c.id, c.stage, MIN(k.received_at) AS first FROM complaints k JOIN customers c ON c.id = k.customer_id`+inPeriod.sql()+`
			GROUP BY c.id, c.stage) x`, inPeriod.args, &out.Complainants, &out.ComplainantsBought, &out.ComplainantsLost); err != nil {
			return err
		}
		others := w.and(`NOT EXISTS (SELECT 1 FROM complaints k WHERE k.customer_id = c.id AND k.received_at >= ? AND k.received_at < ?)`, ms(from), ms(to))
		_, err := tx.get(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id AND t.occurred_at >= ? AND t.occurred_at < ?) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.stage = 'lost' THEN 1 ELSE 0 END), 0)
			FROM customers c`+others.sql(), append([]any{ms(from), ms(to)}, others.args...), &out.Others, &out.OthersBought, &out.OthersLost)
		return err
	})
	return out, err
}
