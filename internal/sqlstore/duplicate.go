package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// DuplicateService finds and merges customers that look like one.
type DuplicateService struct{ db *DB }

// NewDuplicateService returns the duplicate service of db.
func NewDuplicateService(db *DB) *DuplicateService { return &DuplicateService{db: db} }

var _ kewei.DuplicateService = (*DuplicateService)(nil)

// pairKey is a pair of customer ids, the smaller first.
type pairKey [2]int64

func newPair(x, y int64) pairKey {
	if x > y {
		x, y = y, x
	}
	return pairKey{x, y}
}

// duplicateKeys are the search keys that say two customers are one: whole
// phone numbers and email addresses.
func duplicateKeys(c *kewei.Customer) map[string]string {
	out := map[string]string{}
	for _, k := range customerKeys(c) {
		switch k[0] {
		case 'm':
			out[k] = kewei.DuplicatePhone
		case 'e':
			out[k] = kewei.DuplicateEmail
		}
	}
	return out
}

// detectDuplicates finds the customers that share a phone, an email, or a
// name and company with one of cs, and records the pairs. It returns how
// many pairs are new.
func detectDuplicates(ctx context.Context, tx *Tx, cs []*kewei.Customer) (int, error) {
	found := map[pairKey][]string{}
	add := func(x, y int64, reason string) {
		if x == y {
			return
		}
		p := newPair(x, y)
		if !slices.Contains(found[p], reason) {
			found[p] = append(found[p], reason)
		}
	}
	byKey := map[string][]int64{}
	var keys []string
	for _, c := range cs {
		for k := range duplicateKeys(c) {
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], c.ID)
		}
	}
	for start := 0; start < len(keys); start += 500 {
		chunk := keys[start:min(start+500, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := tx.query(ctx, `SELECT key, customer_id FROM customer_search WHERE key IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var key string
			var id int64
			if err := rows.Scan(&key, &id); err != nil {
				rows.Close()
				return 0, err
			}
			reason := kewei.DuplicatePhone
			if key[0] == 'e' {
				reason = kewei.DuplicateEmail
			}
			for _, mine := range byKey[key] {
				add(mine, id, reason)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	for _, c := range cs {
		if c.Company == "" || c.Name == "" {
			continue
		}
		rows, err := tx.query(ctx, `SELECT id FROM customers WHERE name = ? AND company = ? AND company <> '' AND id <> ?`,
			c.Name, c.Company, c.ID)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, err
			}
			add(c.ID, id, kewei.DuplicateNameCompany)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return recordPairs(ctx, tx, found)
}

// recordPairs stores new pairs; known ones stay as they are, dismissed or
// not.
func recordPairs(ctx context.Context, tx *Tx, found map[pairKey][]string) (int, error) {
	n := 0
	for p, reasons := range found {
		slices.Sort(reasons)
		res, err := tx.exec(ctx, `INSERT INTO duplicate_pairs (id, a_id, b_id, reasons, detected_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (a_id, b_id) DO NOTHING`, tx.db.ids.next(), p[0], p[1], strings.Join(reasons, ","), ms(tx.now))
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}

// idFloor is the smallest id the generator gives at or after t.
func idFloor(t time.Time) int64 {
	if t.Before(idEpoch) {
		return 0
	}
	return t.Sub(idEpoch).Milliseconds() << (seqBits + nodeBits)
}

// scanByLookup is the number of new customers up to which a scan looks
// each one up; above it, walking the sorted keys of everyone is cheaper.
var scanByLookup = 20000

// ScanDuplicates checks the customers created since the given time against
// everyone: few of them one by one, many by walking the phone and email
// keys and the name-and-company index in order.
func (s *DuplicateService) ScanDuplicates(ctx context.Context, since time.Time) (int, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return 0, err
	}
	floor := idFloor(since)
	var n int
	err := s.db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM customers WHERE id >= ? LIMIT ?) t`, []any{floor, scanByLookup + 1}, &n)
		return err
	})
	switch {
	case err != nil:
		return 0, err
	case n > scanByLookup:
		return s.scanSorted(ctx, floor)
	}
	return s.scanByLookup(ctx, floor)
}

func (s *DuplicateService) scanByLookup(ctx context.Context, floor int64) (int, error) {
	after, total := floor-1, 0
	for {
		var cs []*kewei.Customer
		err := s.db.readTx(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, customerSelect+` WHERE c.id > ? ORDER BY c.id LIMIT ?`, after, exportChunk)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				c, err := scanCustomer(rows)
				if err != nil {
					return err
				}
				cs = append(cs, c)
			}
			return rows.Err()
		})
		if err != nil || len(cs) == 0 {
			return total, err
		}
		err = s.db.writeTx(ctx, func(tx *Tx) error {
			n, err := detectDuplicates(ctx, tx, cs)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
		after = cs[len(cs)-1].ID
	}
}

// maxGroup bounds how many customers one key may pair: a number shared by
// hundreds (a shop's switchboard, 13800000000) is noise, not a duplicate.
const maxGroup = 20

// scanSorted walks the phone and email keys, then names with companies, in
// order: customers sharing one, at least one of them new, are paired.
func (s *DuplicateService) scanSorted(ctx context.Context, floor int64) (int, error) {
	found := map[pairKey][]string{}
	total := 0
	flush := func() error {
		if len(found) == 0 {
			return nil
		}
		err := s.db.writeTx(ctx, func(tx *Tx) error {
			n, err := recordPairs(ctx, tx, found)
			total += n
			return err
		})
		clear(found)
		return err
	}
	group := func(ids []int64, reason string) error {
		if len(ids) < 2 || len(ids) > maxGroup || slices.Max(ids) < floor {
			return nil
		}
		for i, x := range ids {
			for _, y := range ids[i+1:] {
				if x >= floor || y >= floor {
					p := newPair(x, y)
					if !slices.Contains(found[p], reason) {
						found[p] = append(found[p], reason)
					}
				}
			}
		}
		if len(found) >= 5000 {
			return flush()
		}
		return nil
	}
	walks := []struct{ q, reason string }{
		{`SELECT key, customer_id FROM customer_search WHERE key >= 'm' AND key < 'n' ORDER BY key, customer_id`, kewei.DuplicatePhone},
		{`SELECT key, customer_id FROM customer_search WHERE key >= 'e' AND key < 'f' ORDER BY key, customer_id`, kewei.DuplicateEmail},
		{`SELECT name || '|' || company, id FROM customers WHERE company <> '' ORDER BY name, company, id`, kewei.DuplicateNameCompany},
	}
	for _, w := range walks {
		err := s.db.readTx(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, w.q)
			if err != nil {
				return err
			}
			defer rows.Close()
			var last string
			var ids []int64
			for rows.Next() {
				var key string
				var id int64
				if err := rows.Scan(&key, &id); err != nil {
					return err
				}
				if key != last {
					if err := group(ids, w.reason); err != nil {
						return err
					}
					last, ids = key, ids[:0]
				}
				ids = append(ids, id)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			return group(ids, w.reason)
		})
		if err != nil {
			return total, err
		}
	}
	return total, flush()
}

var pairOrder = order{key: "detected_at", col: "p.detected_at", idCol: "p.id", desc: true}

// FindDuplicates returns open pairs whose customers the actor both sees.
func (s *DuplicateService) FindDuplicates(ctx context.Context, f kewei.DuplicateFilter) (*kewei.List[*kewei.DuplicatePair], error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	keyset, kargs, err := pairOrder.after(f.Cursor)
	if err != nil {
		return nil, err
	}
	ca, aargs := scopeCond(a, "ca")
	cb, bargs := scopeCond(a, "cb")
	w := where{}.and(`p.dismissed_at = 0`).and(ca, aargs...).and(cb, bargs...).and(keyset, kargs...)
	if f.CustomerID != 0 {
		w = w.and(`(p.a_id = ? OR p.b_id = ?)`, f.CustomerID, f.CustomerID)
	}
	limit := kewei.ClampLimit(f.Limit)
	page := &kewei.List[*kewei.DuplicatePair]{Items: []*kewei.DuplicatePair{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		from := ` FROM duplicate_pairs p JOIN customers ca ON ca.id = p.a_id JOIN customers cb ON cb.id = p.b_id`
		n, err := countCapped(ctx, tx, `SELECT 1`+from+w.sql(), w.args)
		if err != nil {
			return err
		}
		page.SetTotal(n)
		rows, err := tx.query(ctx, `SELECT p.id, p.a_id, p.b_id, p.reasons, p.detected_at`+from+w.sql()+pairOrder.sql()+` LIMIT ?`,
			append(w.args, limit+1)...)
		if err != nil {
			return err
		}
		ids := map[int64]bool{}
		for rows.Next() {
			p := &kewei.DuplicatePair{A: &kewei.Customer{}, B: &kewei.Customer{}}
			var reasons string
			if err := rows.Scan(&p.ID, &p.A.ID, &p.B.ID, &reasons, instant{&p.DetectedAt}); err != nil {
				rows.Close()
				return err
			}
			p.Reasons = strings.Split(reasons, ",")
			ids[p.A.ID], ids[p.B.ID] = true, true
			page.Items = append(page.Items, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return fillPairs(ctx, tx, page.Items, ids)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = pairOrder.cursor(ms(last.DetectedAt), last.ID)
	}
	return page, nil
}

// fillPairs reads the customers of the pairs, masked for the actor.
func fillPairs(ctx context.Context, tx *Tx, pairs []*kewei.DuplicatePair, ids map[int64]bool) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids))
	for id := range ids {
		args = append(args, id)
	}
	rows, err := tx.query(ctx, customerSelect+` WHERE c.id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return err
	}
	byID := map[int64]*kewei.Customer{}
	var cs []*kewei.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			rows.Close()
			return err
		}
		byID[c.ID] = c
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := present(ctx, tx, cs...); err != nil {
		return err
	}
	for _, p := range pairs {
		p.A, p.B = byID[p.A.ID], byID[p.B.ID]
	}
	return nil
}

// DismissDuplicate marks a pair the actor sees as two customers.
func (s *DuplicateService) DismissDuplicate(ctx context.Context, id int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var x, y int64
		found, err := tx.get(ctx, `SELECT a_id, b_id FROM duplicate_pairs WHERE id = ? AND dismissed_at = 0`, []any{id}, &x, &y)
		if err != nil {
			return err
		}
		if !found {
			return kewei.Errorf(kewei.ENOTFOUND, "duplicate pair %d not found", id)
		}
		for _, cid := range []int64{x, y} {
			if _, err := visibleCustomer(ctx, tx, cid); err != nil {
				return kewei.Errorf(kewei.ENOTFOUND, "duplicate pair %d not found", id)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE duplicate_pairs SET dismissed_at = ? WHERE id = ?`, ms(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "duplicate_pair", id, x, nil, map[string]any{"dismissed": true, "a": x, "b": y, "by": a.UserID})
	})
}
