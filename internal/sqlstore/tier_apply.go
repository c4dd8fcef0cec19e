package sqlstore

import (
	"cmp"
	"context"
	"encoding/binary"
	"hash/fnv"
	"math"
	"slices"
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
	id   int64
	tier kewei.Tier
	fp   int64 // the stored value's fingerprint; 0 for none
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
			if old.fp == 0 || old.fp != fingerprint(v) {
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

// fingerprint hashes everything stored of a value (FNV-1a), never 0.
func fingerprint(v kewei.CustomerValue) int64 {
	h := fnv.New64a()
	var b []byte
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Value))
	for _, n := range []int64{v.RuleID, int64(v.Revenue), int64(v.Profit), int64(v.Count), ms(v.Last), int64(v.R), int64(v.F), int64(v.M)} {
		b = binary.LittleEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, v.Tier...)
	b = append(b, 0)
	b = append(b, v.Segment...)
	h.Write(b)
	return int64(h.Sum64()>>1) | 1
}

func writeValues(ctx context.Context, tx *Tx, vs []kewei.CustomerValue) error {
	for start := 0; start < len(vs); start += 500 {
		chunk := vs[start:min(start+500, len(vs))]
		args := make([]any, 0, len(chunk)*13)
		for _, v := range chunk {
			args = append(args, v.CustomerID, v.Tier, v.RuleID, v.Value, v.Revenue, v.Profit, v.Count, ms(v.Last), v.R, v.F, v.M, v.Segment,
				fingerprint(v))
		}
		if _, err := tx.exec(ctx, `INSERT INTO customer_values (customer_id, tier, rule_id, value, revenue, profit, frequency, last_at, r, f, m, segment, fp)
			VALUES `+rowsOf(len(chunk), 13)+`
			ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, rule_id = excluded.rule_id, value = excluded.value,
				revenue = excluded.revenue, profit = excluded.profit, frequency = excluded.frequency, last_at = excluded.last_at,
				r = excluded.r, f = excluded.f, m = excluded.m, segment = excluded.segment, fp = excluded.fp`, args...); err != nil {
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
		// Two scans in key order, merged here, cost far less than a join
		// that looks each customer's value up.
		// Without ORDER BY the database may read a narrow index that holds
		// both columns rather than the wide table; Go sorts after.
		rows, err := tx.query(ctx, `SELECT id, tier FROM customers`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sv storedValue
			if err := rows.Scan(&sv.id, &sv.tier); err != nil {
				rows.Close()
				return err
			}
			stored = append(stored, sv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.SortFunc(stored, func(a, b storedValue) int { return cmp.Compare(a.id, b.id) })
		rows, err = tx.query(ctx, `SELECT customer_id, fp FROM customer_values ORDER BY customer_id`)
		if err != nil {
			return err
		}
		at := 0
		for rows.Next() {
			var id, fp int64
			if err := rows.Scan(&id, &fp); err != nil {
				rows.Close()
				return err
			}
			for at < len(stored) && stored[at].id < id {
				at++
			}
			if at < len(stored) && stored[at].id == id {
				stored[at].fp = fp
			}
		}
		rows.Close()
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
