package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// staleRun is how long a run may claim to be running before another may
// start: a run that crashed leaves its row behind.
const staleRun = time.Hour

// StartTierRun records a new run, refusing while another is under way.
func (s *TierService) StartTierRun(ctx context.Context, run *kewei.TierRun) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var busy int64
		found, err := tx.get(ctx, `SELECT id FROM tier_runs WHERE status = ? AND started_at > ? ORDER BY id DESC LIMIT 1`,
			[]any{kewei.RunRunning, ms(tx.now.Add(-staleRun))}, &busy)
		if err != nil {
			return err
		}
		if found {
			return kewei.Errorf(kewei.ECONFLICT, "re-tiering run %d is still under way; wait for it to finish", busy)
		}
		run.ID, run.Status, run.StartedAt, run.ActorID = tx.db.ids.next(), kewei.RunRunning, tx.now, kewei.ActorUserID(ctx)
		_, err = tx.exec(ctx, `INSERT INTO tier_runs (id, as_of, window_months, status, step, actor_id, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			run.ID, run.AsOf, run.Window, run.Status, run.Step, run.ActorID, ms(run.StartedAt))
		return err
	})
}

// UpdateTierRun records a run's progress, and on its end the audit entry
// that says who re-tiered and what moved.
func (s *TierService) UpdateTierRun(ctx context.Context, run *kewei.TierRun) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		if run.Status != kewei.RunRunning && run.FinishedAt.IsZero() {
			run.FinishedAt = tx.now
		}
		if _, err := tx.exec(ctx, `UPDATE tier_runs SET status = ?, customers = ?, changed = ?, step = ?, error = ?, finished_at = ? WHERE id = ?`,
			run.Status, run.Customers, run.Changed, run.Step, run.Error, msPtr(&run.FinishedAt), run.ID); err != nil {
			return err
		}
		if run.Status == kewei.RunRunning {
			return nil
		}
		return tx.audit(ctx, kewei.ActionRetier, "tier_run", run.ID, 0, nil, run)
	})
}

// FindTierRuns lists the latest runs, newest first.
func (s *TierService) FindTierRuns(ctx context.Context, limit int) ([]*kewei.TierRun, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	out := []*kewei.TierRun{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, as_of, window_months, status, customers, changed, step, error, actor_id, started_at, finished_at
			FROM tier_runs ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := &kewei.TierRun{}
			var fin int64
			if err := rows.Scan(&r.ID, &r.AsOf, &r.Window, &r.Status, &r.Customers, &r.Changed, &r.Step, &r.Error, &r.ActorID,
				instant{&r.StartedAt}, &fin); err != nil {
				return err
			}
			if fin != 0 {
				r.FinishedAt = fromMS(fin)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// FindCustomerValues streams the stored values of the customers the actor
// sees, narrowed by the owner's team, the province and the deciding rule's
// business line.
func (s *TierService) FindCustomerValues(ctx context.Context, f kewei.ValueFilter, each func(v kewei.CustomerValue, province string) error) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	w := valueWhere(a, f)
	return s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT v.customer_id, c.tier, v.rule_id, v.value, v.revenue, v.profit, v.frequency, v.last_at, v.r, v.f, v.m, v.segment, c.province
			FROM customer_values v JOIN customers c ON c.id = v.customer_id`+w.sql(), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v kewei.CustomerValue
			var province string
			if err := rows.Scan(&v.CustomerID, &v.Tier, &v.RuleID, &v.Value, &v.Revenue, &v.Profit, &v.Count, instant{&v.Last},
				&v.R, &v.F, &v.M, &v.Segment, &province); err != nil {
				return err
			}
			if err := each(v, province); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// valueWhere is the condition on customers c and values v that the actor's
// scope and the filter allow.
func valueWhere(a *kewei.Actor, f kewei.ValueFilter) where {
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.TeamID != 0 {
		w = w.and(`c.owner_id IN (SELECT id FROM users WHERE team_id = ?)`, f.TeamID)
	}
	if f.Province != "" {
		w = w.and(`c.province = ?`, f.Province)
	}
	if f.Line != "" {
		w = w.and(`v.rule_id IN (SELECT id FROM tier_rules WHERE line = ?)`, f.Line)
	}
	return w
}

// TiersAt reads each customer's latest tier change before at.
func (s *TierService) TiersAt(ctx context.Context, at time.Time, f kewei.ValueFilter, each func(customerID int64, t kewei.Tier) error) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	w := valueWhere(a, f).and(`h.id IN (SELECT MAX(id) FROM tier_changes WHERE at < ? GROUP BY customer_id)`, ms(at))
	return s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT h.customer_id, h.to_tier FROM tier_changes h
			JOIN customers c ON c.id = h.customer_id LEFT JOIN customer_values v ON v.customer_id = h.customer_id`+w.sql(), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var t kewei.Tier
			if err := rows.Scan(&id, &t); err != nil {
				return err
			}
			if err := each(id, t); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// FindCustomerValue reads one customer's stored value, within scope.
func (s *TierService) FindCustomerValue(ctx context.Context, customerID int64) (*kewei.CustomerValue, error) {
	v := &kewei.CustomerValue{CustomerID: customerID}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, customerID)
		if err != nil {
			return err
		}
		v.Tier = c.Tier
		_, err = tx.get(ctx, `SELECT rule_id, value, revenue, profit, frequency, last_at, r, f, m, segment FROM customer_values WHERE customer_id = ?`,
			[]any{customerID}, &v.RuleID, &v.Value, &v.Revenue, &v.Profit, &v.Count, instant{&v.Last}, &v.R, &v.F, &v.M, &v.Segment)
		return err
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return v, nil
}
