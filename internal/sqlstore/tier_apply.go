package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
)

// tierMove is one customer's tier change.
type tierMove struct {
	id       int64
	from, to kewei.Tier
	ruleID   int64
	source   string
}

// applyChunk is how many customers one write transaction of a run covers:
// small enough that the writer lock is never held long.
const applyChunk = 5000

// moveTiers sets the customers' tiers and records the history rows that
// playbooks react to.
func moveTiers(ctx context.Context, tx *Tx, moves []tierMove, runID int64) error {
	byTier := map[kewei.Tier][]any{}
	for _, m := range moves {
		byTier[m.to] = append(byTier[m.to], m.id)
	}
	for t, ids := range byTier {
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			if _, err := tx.exec(ctx, `UPDATE customers SET tier = ? WHERE id IN (`+placeholders(len(chunk))+`)`, append([]any{t}, chunk...)...); err != nil {
				return err
			}
		}
	}
	for start := 0; start < len(moves); start += 500 {
		chunk := moves[start:min(start+500, len(moves))]
		args := make([]any, 0, len(chunk)*8)
		for _, m := range chunk {
			args = append(args, tx.db.ids.next(), m.id, m.from, m.to, m.ruleID, m.source, runID, ms(tx.now))
		}
		if _, err := tx.exec(ctx, `INSERT INTO tier_changes (id, customer_id, from_tier, to_tier, rule_id, source, run_id, at) VALUES `+
			rowsOf(len(chunk), 8), args...); err != nil {
			return err
		}
	}
	return nil
}

// rowsOf returns n groups of k placeholders for a multi-row VALUES.
func rowsOf(n, k int) string {
	row := "(" + placeholders(k) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// storedValue is a customer's tier and last stored value, to compare a
// run's result against.
type storedValue struct {
	id    int64
	tier  kewei.Tier
	value kewei.CustomerValue
	has   bool
}

// ApplyTiers writes a run's values (sorted by customer id): only the
// customers whose tier or scores changed are written, in chunks of their
// own transactions, so a run over a million customers never holds the
// writer for long and a crash leaves whole chunks. A customer with an
// active override keeps the override's tier.
func (s *TierService) ApplyTiers(ctx context.Context, run *kewei.TierRun, values []kewei.CustomerValue) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	stored, pinned, err := s.storedValues(ctx, run.AsOf)
	if err != nil {
		return 0, err
	}
	changed, at := 0, 0
	for start := 0; start < len(values); start += applyChunk {
		chunk := values[start:min(start+applyChunk, len(values))]
		var moves []tierMove
		var writes []kewei.CustomerValue
		for _, v := range chunk {
			if t, ok := pinned[v.CustomerID]; ok {
				v.Tier, v.RuleID = t, 0
			}
			// Both lists are in customer order: walk them side by side.
			for at < len(stored) && stored[at].id < v.CustomerID {
				at++
			}
			if at == len(stored) || stored[at].id != v.CustomerID {
				continue // deleted since the run read the customers
			}
			old := stored[at]
			if old.tier != v.Tier {
				moves = append(moves, tierMove{id: v.CustomerID, from: old.tier, to: v.Tier, ruleID: v.RuleID, source: kewei.ChangeByRule})
			}
			if !old.has || !sameValue(old.value, v) {
				writes = append(writes, v)
			}
		}
		if len(moves) == 0 && len(writes) == 0 {
			continue
		}
		err := s.db.writeTx(ctx, func(tx *Tx) error {
			if err := moveTiers(ctx, tx, moves, run.ID); err != nil {
				return err
			}
			return writeValues(ctx, tx, writes)
		})
		if err != nil {
			return changed, err
		}
		changed += len(moves)
	}
	return changed, nil
}

func sameValue(a, b kewei.CustomerValue) bool {
	return a.Tier == b.Tier && a.RuleID == b.RuleID && a.Value == b.Value && a.Revenue == b.Revenue && a.Profit == b.Profit &&
		a.Count == b.Count && ms(a.Last) == ms(b.Last) && a.R == b.R && a.F == b.F && a.M == b.M && a.Segment == b.Segment
}

func writeValues(ctx context.Context, tx *Tx, vs []kewei.CustomerValue) error {
	for start := 0; start < len(vs); start += 500 {
		chunk := vs[start:min(start+500, len(vs))]
		args := make([]any, 0, len(chunk)*12)
		for _, v := range chunk {
			args = append(args, v.CustomerID, v.Tier, v.RuleID, v.Value, v.Revenue, v.Profit, v.Count, ms(v.Last), v.R, v.F, v.M, v.Segment)
		}
		if _, err := tx.exec(ctx, `INSERT INTO customer_values (customer_id, tier, rule_id, value, revenue, profit, frequency, last_at, r, f, m, segment)
			VALUES `+rowsOf(len(chunk), 12)+`
			ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, rule_id = excluded.rule_id, value = excluded.value,
				revenue = excluded.revenue, profit = excluded.profit, frequency = excluded.frequency, last_at = excluded.last_at,
				r = excluded.r, f = excluded.f, m = excluded.m, segment = excluded.segment`, args...); err != nil {
			return err
		}
	}
	return nil
}

// storedValues reads, in customer order, every customer's tier and stored value, and the tiers
// pinned by overrides in force on asOf.
func (s *TierService) storedValues(ctx context.Context, asOf kewei.Date) ([]storedValue, map[int64]kewei.Tier, error) {
	var stored []storedValue
	pinned := map[int64]kewei.Tier{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT c.id, c.tier, v.customer_id IS NOT NULL, COALESCE(v.tier, ''), COALESCE(v.rule_id, 0),
			COALESCE(v.value, 0), COALESCE(v.revenue, 0), COALESCE(v.profit, 0), COALESCE(v.frequency, 0), COALESCE(v.last_at, 0),
			COALESCE(v.r, 0), COALESCE(v.f, 0), COALESCE(v.m, 0), COALESCE(v.segment, '')
			FROM customers c LEFT JOIN customer_values v ON v.customer_id = c.id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sv storedValue
			v := &sv.value
			if err := rows.Scan(&sv.id, &sv.tier, &sv.has, &v.Tier, &v.RuleID, &v.Value, &v.Revenue, &v.Profit, &v.Count, instant{&v.Last},
				&v.R, &v.F, &v.M, &v.Segment); err != nil {
				return err
			}
			v.CustomerID = sv.id
			stored = append(stored, sv)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(ctx, `SELECT customer_id, tier FROM tier_overrides WHERE ended_at = 0 AND expires_on >= ?`, asOf)
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
			pinned[id] = t
		}
		return rows.Err()
	})
	return stored, pinned, err
}
