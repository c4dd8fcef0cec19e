package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// EachCustomerFacts reads the customers in batches in id order, each batch
// with its holdings, tags, recent tier moves and refused channels, in one
// read transaction per batch.
func (s *PlaybookService) EachCustomerFacts(ctx context.Context, since time.Time, loc *time.Location, batch int,
	fn func([]kewei.CustomerFacts) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var managers map[int64]int64
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		managers, err = readManagers(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	day := func(msec int64) kewei.Date {
		if msec == 0 {
			return kewei.Date{}
		}
		return kewei.DateOf(time.UnixMilli(msec).In(loc))
	}
	after := int64(-1 << 62)
	for {
		var facts []kewei.CustomerFacts
		err := s.db.readTx(ctx, func(tx *Tx) error {
			var err error
			facts, err = readFacts(ctx, tx, after, batch, nil, since, managers, day)
			return err
		})
		if err != nil || len(facts) == 0 {
			return err
		}
		if err := fn(facts); err != nil {
			return err
		}
		after = facts[len(facts)-1].ID
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// readFacts reads the facts of the batch customers after the id after or,
// with ids, of those customers.
// CustomerFacts reads the facts of the customers ids, for planning their
// tasks now rather than at the daily run.
func (s *PlaybookService) CustomerFacts(ctx context.Context, ids []int64, since time.Time, loc *time.Location) ([]kewei.CustomerFacts, error) {
	if err := requireAdmin(ctx); err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []kewei.CustomerFacts
	err := s.db.readTx(ctx, func(tx *Tx) error {
		managers, err := readManagers(ctx, tx)
		if err != nil {
			return err
		}
		day := func(msec int64) kewei.Date {
			if msec == 0 {
				return kewei.Date{}
			}
			return kewei.DateOf(time.UnixMilli(msec).In(loc))
		}
		out, err = readFacts(ctx, tx, 0, 0, ids, since, managers, day)
		return err
	})
	return out, err
}

func readFacts(ctx context.Context, tx *Tx, after int64, batch int, ids []int64, since time.Time, managers map[int64]int64,
	day func(int64) kewei.Date) ([]kewei.CustomerFacts, error) {
	sel, selArgs := `id > ? ORDER BY id LIMIT ?`, []any{after, batch}
	if ids != nil {
		selArgs = make([]any, len(ids))
		for i, id := range ids {
			selArgs[i] = id
		}
		sel = `id IN (` + placeholders(len(ids)) + `) ORDER BY id`
	}
	rows, err := tx.query(ctx, `SELECT id, COALESCE(owner_id, 0), tier, stage, intent, created_at, last_contact_at, birthday, family
		FROM customers WHERE `+sel, selArgs...)
	if err != nil {
		return nil, err
	}
	var out []kewei.CustomerFacts
	at := map[int64]int{}
	for rows.Next() {
		var f kewei.CustomerFacts
		var created, last int64
		var family []kewei.FamilyMember
		if err := rows.Scan(&f.ID, &f.OwnerID, &f.Tier, &f.Stage, &f.Intent, &created, &last, &f.Birthday, jsonScan{&family}); err != nil {
			rows.Close()
			return nil, err
		}
		f.Created, f.LastContact, f.ManagerID = day(created), day(last), managers[f.OwnerID]
		for _, m := range family {
			if !m.Birthday.IsZero() {
				f.Family = append(f.Family, m.Birthday)
			}
		}
		at[f.ID] = len(out)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	// The records of the batch: a range of ids, or the ids asked for.
	rng, rngArgs := `customer_id BETWEEN ? AND ?`, []any{out[0].ID, out[len(out)-1].ID}
	if ids != nil {
		rng, rngArgs = `customer_id IN (`+placeholders(len(ids))+`)`, selArgs
	}
	with := func(args ...any) []any { return append(slices.Clone(rngArgs), args...) }
	if err := eachRow(ctx, tx, `SELECT customer_id, category, acquired_on, renewal_due, due_on FROM holdings WHERE `+rng,
		rngArgs, func(r scanner) error {
			var id int64
			var h kewei.HoldingDates
			if err := r.Scan(&id, &h.Category, &h.AcquiredOn, &h.RenewalDue, &h.DueOn); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].Holdings = append(out[i].Holdings, h)
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, ends_on FROM contracts WHERE `+rng+` AND status IN (?, ?)
		AND ends_on IS NOT NULL`, with(kewei.ContractSigned, kewei.ContractExecuting), func(r scanner) error {
		var id int64
		var d kewei.Date
		if err := r.Scan(&id, &d); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			out[i].ContractEnds = append(out[i].ContractEnds, d)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, MAX(occurred_at) FROM transactions WHERE `+rng+` GROUP BY customer_id`,
		rngArgs, func(r scanner) error {
			var id, last int64
			if err := r.Scan(&id, &last); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].LastPurchase = day(last)
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, MAX(performed_at) FROM service_records WHERE `+rng+` GROUP BY customer_id`,
		rngArgs, func(r scanner) error {
			var id, last int64
			if err := r.Scan(&id, &last); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].LastService = day(last)
			}
			return nil
		}); err != nil {
		return nil, err
	}
	for _, ev := range []struct {
		q   string
		add func(f *kewei.CustomerFacts, d kewei.Date)
	}{
		{`SELECT customer_id, closed_at FROM complaints WHERE ` + rng + ` AND closed_at >= ?`,
			func(f *kewei.CustomerFacts, d kewei.Date) { f.ComplaintsClosed = append(f.ComplaintsClosed, d) }},
		{`SELECT customer_id, at FROM survey_responses WHERE ` + rng + ` AND at >= ?`,
			func(f *kewei.CustomerFacts, d kewei.Date) { f.SurveysAnswered = append(f.SurveysAnswered, d) }},
	} {
		if err := eachRow(ctx, tx, ev.q, with(ms(since)), func(r scanner) error {
			var id, when int64
			if err := r.Scan(&id, &when); err != nil {
				return err
			}
			if i, ok := at[id]; ok && when != 0 {
				ev.add(&out[i], day(when))
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, on_day FROM retention_requests WHERE `+rng+` AND created_at >= ?`,
		with(ms(since)), func(r scanner) error {
			var id int64
			var d kewei.Date
			if err := r.Scan(&id, &d); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].RetentionAsked = append(out[i].RetentionAsked, d)
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, tag FROM customer_tags WHERE `+rng, rngArgs, func(r scanner) error {
		var id int64
		var tag string
		if err := r.Scan(&id, &tag); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			out[i].Tags = append(out[i].Tags, tag)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, tx, `SELECT customer_id, from_tier, to_tier, at FROM tier_changes WHERE `+rng+` AND at >= ?`,
		with(ms(since)), func(r scanner) error {
			var id, when int64
			var from, to kewei.Tier
			if err := r.Scan(&id, &from, &to, &when); err != nil {
				return err
			}
			// "" is the first tiering: neither up nor down.
			if i, ok := at[id]; ok && from != "" && from != to {
				out[i].TierChanges = append(out[i].TierChanges, kewei.TierMove{On: day(when), Up: to < from})
			}
			return nil
		}); err != nil {
		return nil, err
	}
	// The latest answer per channel decides; rows come oldest first.
	latest := map[int64]map[kewei.Channel]bool{}
	if err := eachRow(ctx, tx, `SELECT customer_id, channel, granted FROM consents WHERE `+rng+` ORDER BY at, id`,
		rngArgs, func(r scanner) error {
			var id int64
			var ch kewei.Channel
			var granted bool
			if err := r.Scan(&id, &ch, &granted); err != nil {
				return err
			}
			if latest[id] == nil {
				latest[id] = map[kewei.Channel]bool{}
			}
			latest[id][ch] = granted
			return nil
		}); err != nil {
		return nil, err
	}
	for id, chans := range latest {
		i, ok := at[id]
		if !ok {
			continue
		}
		for ch, granted := range chans {
			if !granted {
				out[i].Refused = append(out[i].Refused, ch)
			}
		}
	}
	return out, nil
}

// readManagers maps each user to the manager of their team.
func readManagers(ctx context.Context, tx *Tx) (map[int64]int64, error) {
	managers := map[int64]int64{}
	err := eachRow(ctx, tx, `SELECT u.id, COALESCE(t.manager_id, 0) FROM users u LEFT JOIN teams t ON t.id = u.team_id`, nil,
		func(r scanner) error {
			var u, m int64
			if err := r.Scan(&u, &m); err != nil {
				return err
			}
			if m != u { // a manager's own customers fall back to themselves
				managers[u] = m
			}
			return nil
		})
	return managers, err
}

// eachRow runs a query and calls fn with each row.
func eachRow(ctx context.Context, tx *Tx, q string, args []any, fn func(scanner) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
