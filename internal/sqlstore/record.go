package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/kewei-crm/kewei"
)

// recordTable describes how one kind of customer record is stored, so that
// contacts, holdings, transactions and interactions share one implementation
// of create, read, update, delete and list.
type recordTable[T any] struct {
	table   string // "contacts"
	what    string // "contact", for messages
	cols    string // the writable columns, in the order of args
	args    func(*T) []any
	selects string // the select list for scan, with "r." as the table alias
	joins   string // extra joins for the select list
	scan    func(*T) []any
	meta    func(*T) meta
	dateCol string // orders lists and is filtered by RecordFilter.From/To
	date    func(*T) time.Time
	// prepare fills defaults that depend on the actor or the clock.
	prepare func(ctx context.Context, tx *Tx, r *T) error
	// changed runs after every write, with the customer concerned.
	changed func(ctx context.Context, tx *Tx, customerID int64) error
	// added, when set, runs after a create instead of changed: a new record
	// can often say what changed more cheaply than a recount.
	added func(ctx context.Context, tx *Tx, r *T) error
}

// meta points at the fields every record has.
type meta struct {
	ID, CustomerID       *int64
	CreatedAt, UpdatedAt *time.Time
	Version              *int
}

// recordService implements kewei.RecordService for one recordTable.
type recordService[T any] struct {
	db *DB
	t  *recordTable[T]
}

func (s *recordService[T]) selectSQL() string {
	return `SELECT r.id, r.customer_id, ` + s.t.selects + `, r.created_at, r.updated_at, r.version FROM ` +
		s.t.table + ` r ` + s.t.joins
}

func (s *recordService[T]) scanRow(rows scanner) (*T, error) {
	r := new(T)
	m := s.t.meta(r)
	dest := append([]any{m.ID, m.CustomerID}, s.t.scan(r)...)
	dest = append(dest, instant{m.CreatedAt}, instant{m.UpdatedAt}, m.Version)
	return r, rows.Scan(dest...)
}

func (s *recordService[T]) find(ctx context.Context, tx *Tx, id int64) (*T, error) {
	return queryOne(ctx, tx, s.scanRow, kewei.Errorf(kewei.ENOTFOUND, "%s %d not found", s.t.what, id),
		s.selectSQL()+` WHERE r.id = ?`, id)
}

// findVisible reads a record and its customer if the actor's scope covers
// the customer.
func (s *recordService[T]) findVisible(ctx context.Context, tx *Tx, id int64) (*T, *kewei.Customer, error) {
	r, err := s.find(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := visibleCustomer(ctx, tx, *s.t.meta(r).CustomerID)
	var oos *outOfScope
	if errors.As(err, &oos) {
		oos.objType, oos.id = s.t.what, id
	}
	return r, c, err
}

// Find returns one record of a customer the actor may see, or ENOTFOUND.
func (s *recordService[T]) Find(ctx context.Context, id int64) (*T, error) {
	var r *T
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var c *kewei.Customer
		var err error
		r, c, err = s.findVisible(ctx, tx, id)
		if err == nil {
			maskRecords(ctx, c, r)
		}
		return err
	})
	return r, s.db.denied(ctx, err)
}

// maskRecords hides the personal data of records (a contact's phones, a
// holding's serial) where the actor's pii scope does not cover the customer.
func maskRecords[T any](ctx context.Context, c *kewei.Customer, recs ...*T) {
	if kewei.ActorFrom(ctx).Covers(kewei.ObjectPII, c.OwnerID, c.OwnerTeam) {
		return
	}
	for _, r := range recs {
		if m, ok := any(r).(interface{ Mask() }); ok {
			m.Mask()
		}
	}
}

// List returns one page of a customer's records, newest first.
func (s *recordService[T]) List(ctx context.Context, f kewei.RecordFilter) (*kewei.List[*T], error) {
	o := order{key: s.t.dateCol, col: "r." + s.t.dateCol, idCol: "r.id", desc: true}
	keyset, kargs, err := o.after(f.Cursor)
	if err != nil {
		return nil, err
	}
	w := where{}.and(`r.customer_id = ?`, f.CustomerID)
	if !f.From.IsZero() {
		w = w.and(o.col+` >= ?`, ms(f.From))
	}
	if !f.To.IsZero() {
		w = w.and(o.col+` < ?`, ms(f.To))
	}
	limit := kewei.ClampLimit(f.Limit)
	page := &kewei.List[*T]{Items: []*T{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, f.CustomerID)
		if err != nil {
			return err
		}
		defer func() { maskRecords(ctx, c, page.Items...) }()
		n, err := countCapped(ctx, tx, `SELECT 1 FROM `+s.t.table+` r`+w.sql(), w.args)
		if err != nil {
			return err
		}
		page.SetTotal(n)
		lw := w.and(keyset, kargs...)
		rows, err := tx.query(ctx, s.selectSQL()+lw.sql()+o.sql()+` LIMIT ?`, append(lw.args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := s.scanRow(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := s.t.meta(page.Items[limit-1])
		page.Next = o.cursor(ms(s.t.date(page.Items[limit-1])), *last.ID)
	}
	return page, nil
}
