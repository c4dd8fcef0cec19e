package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// PoolService keeps the shared pool (公海).
type PoolService struct{ db *DB }

// NewPoolService returns the pool of db.
func NewPoolService(db *DB) *PoolService { return &PoolService{db: db} }

var _ kewei.PoolService = (*PoolService)(nil)

// defaultPool is the pool before an administrator sets it: nobody returns
// on their own.
var defaultPool = kewei.PoolSettings{Days: map[kewei.Tier]int{}, ClaimCap: 10, LockoutDays: 30}

func readPoolSettings(ctx context.Context, tx *Tx) (*kewei.PoolSettings, error) {
	out := defaultPool
	out.Days = map[kewei.Tier]int{}
	_, err := tx.get(ctx, `SELECT rules, claim_cap, lockout_days FROM pool_settings WHERE id = 1`, nil,
		jsonScan{&out.Days}, &out.ClaimCap, &out.LockoutDays)
	return &out, err
}

// FindPoolSettings reads the rules; anyone signed in may.
func (s *PoolService) FindPoolSettings(ctx context.Context) (*kewei.PoolSettings, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out *kewei.PoolSettings
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = readPoolSettings(ctx, tx)
		return err
	})
	return out, err
}

// SetPoolSettings saves the rules; administrators only, audited.
func (s *PoolService) SetPoolSettings(ctx context.Context, ps *kewei.PoolSettings) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if ps.Days == nil {
		ps.Days = map[kewei.Tier]int{}
	}
	if err := ps.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := readPoolSettings(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO pool_settings (id, rules, claim_cap, lockout_days, updated_at) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, claim_cap = excluded.claim_cap, lockout_days = excluded.lockout_days,
			updated_at = excluded.updated_at`, jsonValue{ps.Days}, ps.ClaimCap, ps.LockoutDays, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "pool_settings", 1, 0, old, ps)
	})
}

// ReturnToPool moves owned customers of a ruled tier, not lost, whose last
// contact (or creation, never contacted) is older than the tier's days.
// Their open tasks go with them to nobody; one audit entry lists them.
func (s *PoolService) ReturnToPool(ctx context.Context, now time.Time) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		ps, err := readPoolSettings(ctx, tx)
		if err != nil {
			return err
		}
		type moved struct{ id, owner int64 }
		var all []moved
		for tier, days := range ps.Days {
			cut := ms(now.AddDate(0, 0, -days))
			err := eachRow(ctx, tx, `SELECT id, owner_id FROM customers WHERE owner_id IS NOT NULL AND tier = ? AND stage <> ?
				AND CASE WHEN last_contact_at = 0 THEN created_at ELSE last_contact_at END < ?`,
				[]any{tier, kewei.StageLost, cut}, func(r scanner) error {
					var m moved
					if err := r.Scan(&m.id, &m.owner); err != nil {
						return err
					}
					all = append(all, m)
					return nil
				})
			if err != nil {
				return err
			}
		}
		ids := make([]int64, len(all))
		for i, m := range all {
			ids[i] = m.id
			for _, st := range []stmt{
				{`UPDATE customers SET owner_id = NULL, updated_at = ?, version = version + 1 WHERE id = ?`, []any{ms(tx.now), m.id}},
				{`UPDATE customer_search_owner SET owner_id = 0 WHERE customer_id = ?`, []any{m.id}},
				{`UPDATE tasks SET assignee_id = 0 WHERE customer_id = ? AND status = ? AND assignee_id = ?`, []any{m.id, kewei.TaskOpen, m.owner}},
				{`DELETE FROM pool_entries WHERE customer_id = ?`, []any{m.id}},
				{`INSERT INTO pool_entries (customer_id, previous_owner_id, pooled_at) VALUES (?, ?, ?)`, []any{m.id, m.owner, ms(tx.now)}},
			} {
				if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
					return err
				}
			}
		}
		n = len(all)
		if n == 0 {
			return nil
		}
		return tx.appendAudit(ctx, kewei.ActionUpdate, "pool", 0, 0, map[string]any{"returned": ids})
	})
	return n, err
}

// FindPool lists the customers without an owner, to anyone whose role
// sees customers; no contact details are shown before a claim.
func (s *PoolService) FindPool(ctx context.Context, limit int) ([]*kewei.PoolEntry, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "your role sees no customers")
	}
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = 50
	}
	out := []*kewei.PoolEntry{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT c.id, c.name, c.tier, c.stage, c.province, c.city, c.last_contact_at,
			COALESCE(p.pooled_at, 0), COALESCE(p.previous_owner_id, 0)
			FROM customers c LEFT JOIN pool_entries p ON p.customer_id = c.id
			WHERE c.owner_id IS NULL AND c.erased_at = 0 ORDER BY COALESCE(p.pooled_at, 0) DESC, c.id DESC LIMIT ?`, []any{limit},
			func(r scanner) error {
				e := &kewei.PoolEntry{}
				var last, pooled int64
				if err := r.Scan(&e.CustomerID, &e.Name, &e.Tier, &e.Stage, &e.Province, &e.City, &last, &pooled, &e.PreviousOwnerID); err != nil {
					return err
				}
				e.LastContactAt, e.PooledAt = fromMS(last), fromMS(pooled)
				out = append(out, e)
				return nil
			})
	})
	return out, err
}

// ClaimCustomer gives a pool customer to the signed-in user, within the
// daily cap and outside the previous owner's lock-out; audited.
func (s *PoolService) ClaimCustomer(ctx context.Context, customerID int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.UserID == 0 || a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return kewei.Errorf(kewei.EFORBIDDEN, "your role does not own customers")
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		ps, err := readPoolSettings(ctx, tx)
		if err != nil {
			return err
		}
		var owner *int64
		var prev, pooled int64
		found, err := tx.get(ctx, `SELECT c.owner_id, COALESCE(p.previous_owner_id, 0), COALESCE(p.pooled_at, 0)
			FROM customers c LEFT JOIN pool_entries p ON p.customer_id = c.id WHERE c.id = ? AND c.erased_at = 0`,
			[]any{customerID}, &owner, &prev, &pooled)
		switch {
		case err != nil:
			return err
		case !found:
			return kewei.Errorf(kewei.ENOTFOUND, "customer %d not found", customerID)
		case owner != nil:
			return kewei.Errorf(kewei.ECONFLICT, "customer %d is no longer in the pool", customerID)
		case prev == a.UserID && tx.now.Before(fromMS(pooled).AddDate(0, 0, ps.LockoutDays)):
			return kewei.Errorf(kewei.ECONFLICT, "you returned this customer to the pool; you may claim it back from %s",
				fromMS(pooled).AddDate(0, 0, ps.LockoutDays).Format(time.DateOnly))
		}
		var claims int
		if _, err := tx.get(ctx, `SELECT COUNT(*) FROM pool_claims WHERE user_id = ? AND at > ?`,
			[]any{a.UserID, ms(tx.now.Add(-24 * time.Hour))}, &claims); err != nil {
			return err
		}
		if claims >= ps.ClaimCap {
			return kewei.Errorf(kewei.ECONFLICT, "you have claimed %d customers in the last 24 hours, the most allowed", claims)
		}
		for _, st := range []stmt{
			{`UPDATE customers SET owner_id = ?, updated_at = ?, version = version + 1 WHERE id = ?`, []any{a.UserID, ms(tx.now), customerID}},
			{`UPDATE customer_search_owner SET owner_id = ? WHERE customer_id = ?`, []any{a.UserID, customerID}},
			{`UPDATE tasks SET assignee_id = ? WHERE customer_id = ? AND status = ? AND assignee_id = 0 AND assignee_role = ?`,
				[]any{a.UserID, customerID, kewei.TaskOpen, kewei.AssignOwner}},
			{`DELETE FROM pool_entries WHERE customer_id = ?`, []any{customerID}},
			{`INSERT INTO pool_claims (customer_id, user_id, at) VALUES (?, ?, ?)`, []any{customerID, a.UserID, ms(tx.now)}},
		} {
			if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionUpdate, "customer", customerID, customerID, map[string]any{"owner_id": nil},
			map[string]any{"owner_id": a.UserID, "claimed": true})
	})
}
