package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// matchOrder pages search results in the order of their matching keys: an
// exact or leading match first, then longer names; within one key, oldest
// customer first.
var matchOrder = order{key: "match", col: "s.key", idCol: "s.customer_id"}

// findMatches answers a search without an explicit sort by walking the
// search-key index in order and stopping as soon as the page is full, so a
// broad search ("张", "138") costs no more than a narrow one. The other
// filters are checked on the way. A customer whose name matches through
// several keys is shown once, at the first of them. scopeOnly says w holds
// the actor's scope and no filter.
func (s *CustomerService) findMatches(ctx context.Context, f kewei.CustomerFilter, w where, scopeOnly bool, ranges []search.Range, limit int) (*kewei.List[*kewei.Customer], error) {
	keyset, kargs, err := matchOrder.after(f.Cursor)
	if err != nil {
		return nil, err
	}
	table, cond, cargs := searchKeys(kewei.ActorFrom(ctx))
	w = w.and(cond, cargs...)
	if f.Tag != "" {
		// Candidates come from the search index; each is checked for the tag.
		w = w.and(`EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)`, f.Tag)
	}
	page := &kewei.List[*kewei.Customer]{Items: []*kewei.Customer{}}
	var keys []string
	err = s.db.readTx(ctx, func(tx *Tx) error {
		var c matchCount
		var err error
		if scopeOnly && f.Tag == "" {
			// Only the scope, which the keys by owner say alone.
			c, err = countMatches(ctx, tx, table, where{}.and(cond, cargs...), ranges, false)
		} else {
			c, err = countMatches(ctx, tx, table, w, ranges, true)
		}
		if err != nil {
			return err
		}
		page.SetTotal(c.n)
		page.TotalCapped = c.capped
		for _, r := range ranges {
			rw := w.and(keyRange, r.Lo, r.Hi).and(keyset, kargs...)
			for len(page.Items) <= limit {
				want := limit + 1 - len(page.Items)
				rows, err := tx.query(ctx, `SELECT `+customerCols+`, s.key FROM `+table+` s
					JOIN customers c ON c.id = s.customer_id LEFT JOIN users u ON u.id = c.owner_id`+
					rw.sql()+matchOrder.sql()+` LIMIT ?`, append(rw.args, want)...)
				if err != nil {
					return err
				}
				got, lastKey, lastID := 0, "", int64(0)
				for rows.Next() {
					var key string
					c, err := scanCustomer(rows, &key)
					if err != nil {
						rows.Close()
						return err
					}
					got, lastKey, lastID = got+1, key, c.ID
					if first := firstMatch(c, ranges); first == "" || first == key {
						page.Items = append(page.Items, c)
						keys = append(keys, key)
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				if got < want {
					break // this range is exhausted
				}
				rw = w.and(keyRange, r.Lo, r.Hi).and(`(s.key, s.customer_id) > (?, ?)`, lastKey, lastID)
			}
		}
		return present(ctx, tx, page.Items...)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = matchOrder.cursor(keys[limit-1], page.Items[limit-1].ID)
	}
	return page, nil
}

// firstMatch returns the smallest of the customer's keys in the ranges, or
// "" when none is (keys written by an older version).
func firstMatch(c *kewei.Customer, ranges []search.Range) string {
	for _, k := range customerKeys(c) { // sorted
		if search.Contains(ranges, k) {
			return k
		}
	}
	return ""
}

// searchKeys returns the key table a search reads and the condition it
// needs: for a narrow scope the keys by owner, limited to the owners in
// scope; for a wide one the keys of everyone.
func searchKeys(a *kewei.Actor) (table, cond string, args []any) {
	cond, args, narrow := scopeOwners(a, "s.owner_id")
	if narrow {
		return "customer_search_owner", cond, args
	}
	return "customer_search", "", nil
}

// keyRange is a range of search keys. The bounds are expressions, not bare
// parameters, so that SQLite (built with STAT4) plans the statement once:
// a parameter compared to an indexed column makes it plan again whenever
// the value changes, which under load cost a tenth of the server's CPU.
const keyRange = `s.key >= (? || '') AND s.key < (? || '')`

// countMatches counts the customers matching, stopping at kewei.CountCap.
// w's conditions name the key (s) and, when join is set, the customer (c).
func countMatches(ctx context.Context, tx *Tx, keys string, w where, ranges []search.Range, join bool) (matchCount, error) {
	parts := make([]string, len(ranges))
	var args []any
	for i, r := range ranges {
		parts[i] = `(` + keyRange + `)`
		args = append(args, r.Lo, r.Hi)
	}
	mw := w.and(`(`+strings.Join(parts, ` OR `)+`)`, args...)
	from := keys + ` s`
	if join {
		from += ` JOIN customers c ON c.id = s.customer_id`
	}
	q := `SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM (SELECT s.customer_id
		FROM ` + from + mw.sql() + ` LIMIT ?) t`
	args = append(mw.args, kewei.CountCap+1)
	return keptCount(tx, q, args, func() (matchCount, error) {
		var rows, distinct int
		_, err := tx.get(ctx, q, args, &rows, &distinct)
		return matchCount{n: distinct, capped: rows > kewei.CountCap}, err
	})
}
