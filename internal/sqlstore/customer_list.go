package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// customerSortCols maps the allowed sorts to columns; nothing else reaches
// ORDER BY.
var customerSortCols = map[string]string{
	"created_at":      "c.created_at",
	"last_contact_at": "c.last_contact_at",
	"name":            "c.name_pinyin",
}

// FindCustomers returns one page of the customers matching f, in the order
// f.Sort asks (newest first by default), with a capped count.
func (s *CustomerService) FindCustomers(ctx context.Context, f kewei.CustomerFilter) (*kewei.List[*kewei.Customer], error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	order, err := parseSort(f.Sort, "-created_at", customerSortCols)
	if err != nil {
		return nil, err
	}
	scope, scopeArgs := scopeCond(actor, "c")
	filter := customerWhere(f)
	w := filter.and(scope, scopeArgs...)
	page := &kewei.List[*kewei.Customer]{Items: []*kewei.Customer{}}
	limit := kewei.ClampLimit(f.Limit)
	if f.Query != "" {
		ranges := search.Ranges(f.Query)
		switch {
		case len(ranges) == 0:
			return page, nil
		case f.Sort == "":
			return s.findMatches(ctx, f, w, len(filter.conds) == 0, ranges, limit)
		}
		cond, args := inRanges(actor, ranges)
		w = w.and(cond, args...)
	}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		from := `SELECT 1 FROM customers c`
		cw := w
		if f.Tag != "" {
			// Counting walks the tag's index and stops at the cap.
			from = `SELECT 1 FROM customer_tags t JOIN customers c ON c.id = t.customer_id`
			cw = w.and(`t.tag = ?`, f.Tag)
			cond, args, err := tagCond(ctx, tx, f.Tag)
			if err != nil {
				return err
			}
			w = w.and(cond, args...)
		}
		c, err := keptCount(tx, from+cw.sql(), cw.args, func() (matchCount, error) {
			n, err := countCapped(ctx, tx, from+cw.sql(), cw.args)
			return matchCount{n: n}, err
		})
		if err != nil {
			return err
		}
		page.SetTotal(c.n)
		keyset, kargs, err := order.after(f.Cursor)
		if err != nil {
			return err
		}
		lw := w.and(keyset, kargs...)
		rows, err := tx.query(ctx, customerSelect+lw.sql()+order.sql()+` LIMIT ?`, append(lw.args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCustomer(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return present(ctx, tx, page.Items...)
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = order.cursor(customerSortValue(last, order.key), last.ID)
	}
	return page, nil
}

// customerSortValue returns the stored value of the sort column of c.
func customerSortValue(c *kewei.Customer, key string) any {
	switch key {
	case "last_contact_at":
		return msPtr(c.LastContactAt)
	case "name":
		return c.NamePinyin
	}
	return ms(c.CreatedAt)
}

// commonTag is where a tag is common enough to check customer by customer
// while reading the list in order, rather than look its customers up first.
var commonTag = 2000

// tagCond selects customers with the tag, in the form that reads fewer rows
// for this tag: a common tag is checked as the list is read in order and a
// rare one is looked up first.
func tagCond(ctx context.Context, tx *Tx, tag string) (string, []any, error) {
	var n int
	if _, err := tx.get(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM customer_tags WHERE tag = ? LIMIT ?) t`,
		[]any{tag, commonTag}, &n); err != nil {
		return "", nil, err
	}
	if n >= commonTag {
		return `EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)`, []any{tag}, nil
	}
	return `c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)`, []any{tag}, nil
}

// inRanges selects customers with a search key in one of the ranges, among
// the keys of the owners in the actor's scope when it is narrow.
func inRanges(a *kewei.Actor, ranges []search.Range) (string, []any) {
	keys, cond, cargs := searchKeys(a)
	parts := make([]string, len(ranges))
	var args []any
	for i, r := range ranges {
		parts[i] = `SELECT customer_id FROM ` + keys + ` s WHERE ` + keyRange
		args = append(args, r.Lo, r.Hi)
		if cond != "" {
			parts[i] += ` AND ` + cond
			args = append(args, cargs...)
		}
	}
	return `c.id IN (` + strings.Join(parts, ` UNION `) + `)`, args
}

// customerWhere turns a filter, all but its search and tag, into SQL
// conditions with bound values.
func customerWhere(f kewei.CustomerFilter) where {
	var w where
	if f.OwnerID != nil {
		if *f.OwnerID == 0 {
			w = w.and(`c.owner_id IS NULL`)
		} else {
			w = w.and(`c.owner_id = ?`, *f.OwnerID)
		}
	}
	if f.Kind != "" {
		w = w.and(`c.kind = ?`, f.Kind)
	}
	w = inList(w, "c.tier", f.Tiers)
	w = inList(w, "c.stage", f.Stages)
	w = inList(w, "c.intent", f.Intents)
	w = inList(w, "c.source", f.Sources)
	if f.Province != "" {
		w = w.and(`c.province = ?`, f.Province)
	}
	if f.City != "" {
		w = w.and(`c.city = ?`, f.City)
	}
	if !f.CreatedFrom.IsZero() {
		w = w.and(`c.created_at >= ?`, ms(f.CreatedFrom))
	}
	if !f.CreatedTo.IsZero() {
		w = w.and(`c.created_at < ?`, ms(f.CreatedTo))
	}
	if !f.LastContactFrom.IsZero() {
		w = w.and(`c.last_contact_at >= ?`, ms(f.LastContactFrom))
	}
	if !f.LastContactTo.IsZero() {
		w = w.and(`c.last_contact_at < ?`, ms(f.LastContactTo))
	}
	if f.NeverContacted {
		w = w.and(`c.last_contact_at = 0`)
	}
	return w
}

func inList[T ~string](w where, col string, vals []T) where {
	if len(vals) == 0 {
		return w
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = string(v)
	}
	return w.and(col+` IN (`+placeholders(len(vals))+`)`, args...)
}

// countCapped counts the rows of query, stopping at kewei.CountCap+1.
func countCapped(ctx context.Context, tx *Tx, query string, args []any) (int, error) {
	var n int
	_, err := tx.get(ctx, `SELECT COUNT(*) FROM (`+query+` LIMIT ?) t`, append(args, kewei.CountCap+1), &n)
	return n, err
}
