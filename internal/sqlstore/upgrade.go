package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// UpgradeStore reads the customers closest to the next tier and records
// the tasks given to them.
type UpgradeStore struct{ db *DB }

// NewUpgradeStore returns the upgrade candidates of db.
func NewUpgradeStore(db *DB) *UpgradeStore { return &UpgradeStore{db: db} }

// threshold is where the next tier begins under a rule: a band's minimum,
// or for a Pareto rule the lowest value now in the next tier.
func threshold(ctx context.Context, tx *Tx, r *kewei.TierRule, next kewei.Tier) (float64, bool, error) {
	if r.Method == kewei.TierBands {
		for _, b := range r.Bands {
			if b.Tier == next {
				return b.Min.Float(), true, nil
			}
		}
		return 0, false, nil
	}
	var v *float64
	if _, err := tx.get(ctx, `SELECT MIN(value) FROM customer_values WHERE rule_id = ? AND tier = ?`, []any{r.ID, next}, &v); err != nil {
		return 0, false, err
	}
	if v == nil {
		return 0, false, nil
	}
	return *v, true, nil
}

// Candidates lists the customers in scope closest to the next tier under
// the rule that tiers them, by value over the threshold, the closest
// first. Each rule and tier reads its own index from the top.
func (s *UpgradeStore) Candidates(ctx context.Context, f kewei.UpgradeFilter) ([]*kewei.UpgradeCandidate, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	tiers := []kewei.Tier{kewei.TierB, kewei.TierC, kewei.TierD}
	if f.Tier != "" {
		if kewei.NextTier(f.Tier) == "" {
			return nil, &kewei.Error{Code: kewei.EINVALID, Message: "tier: A has no next tier",
				Fields: []kewei.FieldError{{Field: "tier", Reason: kewei.ReasonUnknownChoice, Message: "must be B, C or D"}}}
		}
		tiers = []kewei.Tier{f.Tier}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, kewei.MaxLimit)
	w := where{}.and(`cv.rule_id = ?`).and(`cv.tier = ?`).and(`c.tier = cv.tier`)
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Owner != 0 {
		w = w.and(`c.owner_id = ?`, f.Owner)
	}
	out := []*kewei.UpgradeCandidate{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		all, err := findTierRules(ctx, tx, 0)
		if err != nil {
			return err
		}
		// Without an enabled rule, re-tiering uses the default Pareto
		// rule, recorded as rule 0.
		var rules []*kewei.TierRule
		for _, r := range all {
			if r.Enabled {
				rules = append(rules, r)
			}
		}
		if len(rules) == 0 {
			rules = []*kewei.TierRule{{ID: 0, Name: "默认 Pareto", Method: kewei.TierPareto, Enabled: true}}
		}
		for _, r := range rules {
			for _, t := range tiers {
				next := kewei.NextTier(t)
				th, ok, err := threshold(ctx, tx, r, next)
				if err != nil {
					return err
				}
				if !ok || th <= 0 {
					continue
				}
				args := append([]any{r.ID, t}, w.args...)
				err = eachRow(ctx, tx, `SELECT c.id, c.name, COALESCE(c.owner_id, 0), COALESCE(u.display_name, ''), cv.value
					FROM customer_values cv JOIN customers c ON c.id = cv.customer_id LEFT JOIN users u ON u.id = c.owner_id`+
					w.sql()+` ORDER BY cv.value DESC, cv.customer_id DESC LIMIT ?`, append(args, limit), func(sc scanner) error {
					u := &kewei.UpgradeCandidate{Tier: t, Next: next, RuleID: r.ID, RuleName: r.Name, Threshold: th}
					if err := sc.Scan(&u.CustomerID, &u.CustomerName, &u.OwnerID, &u.OwnerName, &u.Value); err != nil {
						return err
					}
					u.Progress = min(u.Value/th, 1)
					out = append(out, u)
					return nil
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A customer tiered by two rules shows once, under the closer.
	slices.SortStableFunc(out, func(x, y *kewei.UpgradeCandidate) int {
		switch {
		case x.Progress > y.Progress:
			return -1
		case x.Progress < y.Progress:
			return 1
		}
		return int(x.CustomerID - y.CustomerID)
	})
	seen := map[int64]bool{}
	kept := out[:0]
	for _, u := range out {
		if !seen[u.CustomerID] {
			seen[u.CustomerID] = true
			kept = append(kept, u)
		}
	}
	return kept[:min(len(kept), limit)], nil
}

// Owners returns the owners and tiers of customers in scope; a customer
// out of scope is not found.
func (s *UpgradeStore) Owners(ctx context.Context, ids []int64) (map[int64]kewei.CustomerFacts, error) {
	out := map[int64]kewei.CustomerFacts{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			c, err := visibleCustomer(ctx, tx, id)
			if err != nil {
				return err
			}
			out[id] = kewei.CustomerFacts{ID: id, OwnerID: c.OwnerID, Tier: c.Tier}
		}
		return nil
	})
	return out, s.db.denied(ctx, err)
}

// AddTasks creates the tasks that do not exist yet and audits each new
// one against its customer.
func (s *UpgradeStore) AddTasks(ctx context.Context, ts []kewei.PlannedTask, dueAt func(kewei.Date) time.Time) (int, error) {
	n := 0
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		for _, p := range ts {
			id := tx.db.ids.next()
			res, err := tx.exec(ctx, `INSERT INTO tasks (id, customer_id, playbook_id, step_key, anchor, due_at, assignee_id, assignee_role,
				action, talking_points, survey_id, created_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
				id, p.CustomerID, p.StepKey, p.Anchor.String(), ms(dueAt(p.Due)), p.AssigneeID, p.Role, p.Action, p.TalkingPoints, ms(tx.now))
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 1 {
				n++
				if err := tx.audit(ctx, kewei.ActionCreate, "task", id, p.CustomerID, nil, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}
