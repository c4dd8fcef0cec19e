package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// dueChange is a holding whose due date moves.
type dueChange struct {
	id     int64
	due    kewei.Date
	source string
}

// lifeCycles reads the life cycles of the products the holdings that cond
// selects name (all, for no cond): a product text is looked up by code
// first, then by name. A customer's refresh after each holding write reads
// their few products, not the catalogue.
func lifeCycles(ctx context.Context, tx *Tx, cond string, args []any) (func(string) int, error) {
	byCode, byName := map[string]int{}, map[string]int{}
	q := `SELECT code, name, life_months FROM products WHERE life_months > 0`
	var qargs []any
	if cond != "" {
		named := `(SELECT h.product FROM holdings h WHERE ` + cond + `)`
		q += ` AND (code IN ` + named + ` OR name IN ` + named + `)`
		qargs = append(append(qargs, args...), args...)
	}
	err := eachRow(ctx, tx, q, qargs, func(r scanner) error {
		var code, name string
		var months int
		if err := r.Scan(&code, &name, &months); err != nil {
			return err
		}
		byCode[code] = months
		if _, ok := byName[name]; !ok {
			byName[name] = months
		}
		return nil
	})
	return func(p string) int {
		if m, ok := byCode[p]; ok {
			return m
		}
		return byName[p]
	}, err
}

// dueChanges reads the holdings that cond selects (on alias h), customer
// by customer, and returns those whose due date or source differs from
// what DueHoldings computes now. cond must select all of a customer's
// holdings or none: a rhythm reads them together.
func dueChanges(ctx context.Context, tx *Tx, cond string, args []any) ([]dueChange, error) {
	life, err := lifeCycles(ctx, tx, cond, args)
	if err != nil {
		return nil, err
	}
	type stored struct {
		due    kewei.Date
		source string
	}
	var out []dueChange
	var hs []kewei.Holding
	was := map[int64]stored{}
	flush := func() {
		now := map[int64]kewei.HoldingDue{}
		for _, d := range kewei.DueHoldings(hs, life) {
			now[d.HoldingID] = d
		}
		for _, h := range hs {
			d, w := now[h.ID], was[h.ID]
			if d.Due != w.due || d.Source != w.source {
				out = append(out, dueChange{id: h.ID, due: d.Due, source: d.Source})
			}
		}
		hs = hs[:0]
		clear(was)
	}
	var last int64
	q := `SELECT h.id, h.customer_id, h.product, h.category, h.status, h.acquired_on, h.renewal_due, h.due_on, h.due_source FROM holdings h`
	if cond != "" {
		q += ` WHERE ` + cond
	}
	err = eachRow(ctx, tx, q+` ORDER BY h.customer_id, h.id`, args, func(r scanner) error {
		var h kewei.Holding
		var s stored
		if err := r.Scan(&h.ID, &h.CustomerID, &h.Product, &h.Category, &h.Status, &h.AcquiredOn, &h.RenewalDue, &s.due, &s.source); err != nil {
			return err
		}
		if h.CustomerID != last && len(hs) > 0 {
			flush()
		}
		last = h.CustomerID
		hs = append(hs, h)
		was[h.ID] = s
		return nil
	})
	if len(hs) > 0 {
		flush()
	}
	return out, err
}

// applyDue writes changed due dates row by row, for the few a change of
// one customer or one product moves.
func applyDue(ctx context.Context, tx *Tx, cs []dueChange) error {
	for _, c := range cs {
		if _, err := tx.exec(ctx, `UPDATE holdings SET due_on = ?, due_source = ? WHERE id = ?`, c.due, c.source, c.id); err != nil {
			return err
		}
	}
	return nil
}

// refreshCustomerDue recomputes the due dates of one customer's holdings;
// it runs after each write of a holding.
func refreshCustomerDue(ctx context.Context, tx *Tx, customerID int64) error {
	cs, err := dueChanges(ctx, tx, `h.customer_id = ?`, []any{customerID})
	if err != nil {
		return err
	}
	return applyDue(ctx, tx, cs)
}

// refreshProductDue recomputes the due dates of the customers holding a
// product named by one of texts (its code or name, before and after a
// change).
func refreshProductDue(ctx context.Context, tx *Tx, texts ...string) error {
	args := make([]any, len(texts))
	for i, t := range texts {
		args[i] = t
	}
	cs, err := dueChanges(ctx, tx, `h.customer_id IN (SELECT customer_id FROM holdings WHERE product IN (`+placeholders(len(args))+`))`, args)
	if err != nil {
		return err
	}
	return applyDue(ctx, tx, cs)
}

// RefreshDue recomputes every holding's due date: read in one snapshot,
// written in one transaction through a scratch table, so a million
// holdings take seconds on both databases (administrators and the system).
func (s *ProductService) RefreshDue(ctx context.Context) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	var cs []dueChange
	if err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		cs, err = dueChanges(ctx, tx, "", nil)
		return err
	}); err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return 0, nil
	}
	rows := make([][]any, len(cs))
	for i, c := range cs {
		rows[i] = []any{c.id, plain(c.due), c.source}
	}
	dateType := "TEXT"
	if s.db.dsn.Driver == "postgres" {
		dateType = "DATE"
	}
	err := s.db.dialect.copyTables(ctx, s.db,
		[]stmt{{q: `CREATE TEMP TABLE due_new (id BIGINT PRIMARY KEY, due_on ` + dateType + `, due_source TEXT NOT NULL)`}},
		[]TableRows{{"due_new", []string{"id", "due_on", "due_source"}, rows}},
		stmt{q: `UPDATE holdings SET due_on = d.due_on, due_source = d.due_source FROM due_new d WHERE holdings.id = d.id`},
		stmt{q: `DROP TABLE due_new`})
	if err != nil {
		return 0, fmt.Errorf("write due dates: %w", err)
	}
	return len(cs), nil
}

// FindDue lists the holdings of customers in scope due within the window,
// soonest first.
func (s *ProductService) FindDue(ctx context.Context, f kewei.DueFilter) (*kewei.List[*kewei.DueItem], error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if f.Within <= 0 {
		f.Within = 30
	}
	if f.Within > 3660 {
		return nil, &kewei.Error{Code: kewei.EINVALID, Message: "within: at most 3660 days",
			Fields: []kewei.FieldError{{Field: "within", Reason: kewei.ReasonOutOfRange, Message: "must be between 1 and 3660 days"}}}
	}
	today := f.Today
	if today.IsZero() {
		today = kewei.Today(s.db.Now(), nil)
	}
	w := where{}.and(`h.due_on IS NOT NULL`).and(`h.due_on <= ?`, today.AddDays(f.Within))
	if !f.Overdue {
		w = w.and(`h.due_on >= ?`, today)
	}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Category != "" {
		w = w.and(`h.category = ?`, f.Category)
	}
	if f.OwnerID != 0 {
		w = w.and(`c.owner_id = ?`, f.OwnerID)
	}
	if f.Tier != "" {
		w = w.and(`c.tier = ?`, f.Tier)
	}
	base := w
	if f.Cursor != "" {
		due, id, ok := parseDueCursor(f.Cursor)
		if !ok {
			return nil, &kewei.Error{Code: kewei.EINVALID, Message: "cursor: is not a cursor of this list",
				Fields: []kewei.FieldError{{Field: "cursor", Reason: kewei.ReasonInvalidFormat, Message: "start again from the first page"}}}
		}
		w = w.and(`(h.due_on > ? OR (h.due_on = ? AND h.id > ?))`, due, due, id)
	}
	limit := kewei.ClampLimit(f.Limit)
	out := &kewei.List[*kewei.DueItem]{Items: []*kewei.DueItem{}}
	const from = ` FROM holdings h JOIN customers c ON c.id = h.customer_id`
	err = s.db.readTx(ctx, func(tx *Tx) error {
		n, err := countCapped(ctx, tx, `SELECT 1`+from+base.sql(), base.args)
		if err != nil {
			return err
		}
		out.SetTotal(n)
		return eachRow(ctx, tx, `SELECT h.id, h.customer_id, c.name, COALESCE(c.owner_id, 0), COALESCE(u.display_name, ''), c.tier,
			h.product, h.category, h.acquired_on, h.due_on, h.due_source, h.value
			`+from+` LEFT JOIN users u ON u.id = c.owner_id`+w.sql()+
			` ORDER BY h.due_on, h.id LIMIT ?`, append(w.args, limit+1), func(r scanner) error {
			d := &kewei.DueItem{}
			if err := r.Scan(&d.HoldingID, &d.CustomerID, &d.CustomerName, &d.OwnerID, &d.OwnerName, &d.Tier,
				&d.Product, &d.Category, &d.AcquiredOn, &d.Due, &d.Source, &d.Value); err != nil {
				return err
			}
			d.InDays = d.Due.DaysSince(today)
			out.Items = append(out.Items, d)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if len(out.Items) > limit {
		last := out.Items[limit-1]
		out.Items, out.Next = out.Items[:limit], last.Due.String()+"_"+strconv.FormatInt(last.HoldingID, 10)
	}
	return out, nil
}

func parseDueCursor(c string) (kewei.Date, int64, bool) {
	ds, is, ok := strings.Cut(c, "_")
	if !ok {
		return kewei.Date{}, 0, false
	}
	d, err := kewei.ParseDate(ds)
	id, err2 := strconv.ParseInt(is, 10, 64)
	return d, id, err == nil && err2 == nil && !d.IsZero()
}
