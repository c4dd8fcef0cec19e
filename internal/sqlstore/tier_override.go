package sqlstore

import (
	"context"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// SetTierOverride pins a customer's tier until the override expires. Managers
// and administrators may, for customers their scope covers; the tier moves at
// once, with history and an audit entry.
func (s *TierService) SetTierOverride(ctx context.Context, o *kewei.TierOverride) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := s.mayOverride(ctx, a, 0, o.CustomerID); err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, o.CustomerID)
		if err != nil {
			return err
		}
		if err := o.Validate(kewei.DateOf(tx.now)); err != nil {
			return err
		}
		// A new override replaces the one in force.
		if _, err := tx.exec(ctx, `UPDATE tier_overrides SET ended_at = ? WHERE customer_id = ? AND ended_at = 0`, ms(tx.now), o.CustomerID); err != nil {
			return err
		}
		o.ID, o.ActorID, o.ActorName, o.CreatedAt = tx.db.ids.next(), a.UserID, a.Name, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO tier_overrides (id, customer_id, tier, reason, expires_on, actor_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, o.CustomerID, o.Tier, o.Reason, o.ExpiresOn, o.ActorID, ms(o.CreatedAt)); err != nil {
			return err
		}
		if c.Tier != o.Tier {
			if err := moveTiers(ctx, tx, []tierMove{{id: c.ID, from: c.Tier, to: o.Tier, source: kewei.ChangeByOverride}}, 0); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionCreate, "tier_override", o.ID, o.CustomerID, map[string]any{"tier": c.Tier}, o)
	})
	return s.db.denied(ctx, err)
}

// EndTierOverride lifts the override in force on a customer; the next run
// tiers the customer by the rules again.
func (s *TierService) EndTierOverride(ctx context.Context, customerID int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := s.mayOverride(ctx, a, 0, customerID); err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var id int64
		found, err := tx.get(ctx, `SELECT id FROM tier_overrides WHERE customer_id = ? AND ended_at = 0`, []any{customerID}, &id)
		switch {
		case err != nil:
			return err
		case !found:
			return kewei.Errorf(kewei.ENOTFOUND, "customer %d has no tier override in force", customerID)
		}
		if _, err := tx.exec(ctx, `UPDATE tier_overrides SET ended_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "tier_override", id, customerID, nil, nil)
	})
	return s.db.denied(ctx, err)
}

// FindTierOverrides lists a customer's overrides, newest first.
func (s *TierService) FindTierOverrides(ctx context.Context, customerID int64) ([]*kewei.TierOverride, error) {
	out := []*kewei.TierOverride{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT o.id, o.customer_id, o.tier, o.reason, o.expires_on, o.actor_id, COALESCE(u.name, ''), o.created_at, o.ended_at
			FROM tier_overrides o LEFT JOIN users u ON u.id = o.actor_id WHERE o.customer_id = ? ORDER BY o.created_at DESC, o.id DESC`, customerID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o := &kewei.TierOverride{}
			var ended int64
			if err := rows.Scan(&o.ID, &o.CustomerID, &o.Tier, &o.Reason, &o.ExpiresOn, &o.ActorID, &o.ActorName, instant{&o.CreatedAt}, &ended); err != nil {
				return err
			}
			if ended != 0 {
				o.EndedAt = fromMS(ended)
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, s.db.denied(ctx, err)
}

// FindTierChanges lists tier history, newest first, of the customers the
// actor sees.
func (s *TierService) FindTierChanges(ctx context.Context, f kewei.TierChangeFilter) (*kewei.List[*kewei.TierChange], error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.CustomerID != 0 {
		w = w.and(`h.customer_id = ?`, f.CustomerID)
	}
	if !f.Since.IsZero() {
		w = w.and(`h.at >= ?`, ms(f.Since))
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil {
			return nil, kewei.Errorf(kewei.EINVALID, "cursor: is not one this list gave")
		}
		w = w.and(`h.id < ?`, before)
	}
	out := &kewei.List[*kewei.TierChange]{Items: []*kewei.TierChange{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT h.id, h.customer_id, c.name, h.from_tier, h.to_tier, h.rule_id, h.source, h.run_id, h.at
			FROM tier_changes h JOIN customers c ON c.id = h.customer_id`+w.sql()+` ORDER BY h.id DESC LIMIT ?`, append(w.args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			h := &kewei.TierChange{}
			if err := rows.Scan(&h.ID, &h.CustomerID, &h.CustomerName, &h.From, &h.To, &h.RuleID, &h.Source, &h.RunID, instant{&h.At}); err != nil {
				return err
			}
			out.Items = append(out.Items, h)
		}
		return rows.Err()
	})
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = strconv.FormatInt(out.Items[limit-1].ID, 10)
	}
	out.Total = len(out.Items)
	return out, err
}

// mayOverride lets managers and administrators override tiers; anyone else
// is refused, and the refusal is audited.
func (s *TierService) mayOverride(ctx context.Context, a *kewei.Actor, id, customerID int64) error {
	if a.IsAdmin() || a.Role == kewei.RoleManager {
		return nil
	}
	if err := s.db.auditAlone(ctx, kewei.ActionDeny, "tier_override", id, customerID, map[string]string{"reason": "role"}); err != nil {
		return err
	}
	return kewei.Errorf(kewei.EFORBIDDEN, "only managers and administrators may override a tier")
}
