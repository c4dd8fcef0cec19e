package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// Bulk loads many customers and their records fast, for the demo data set
// and large imports. Secondary indexes whose keys arrive in random order are
// dropped first and rebuilt by Finish, each with one sort; search keys are
// sorted outside the database and written in order at the end. What was
// dropped is recorded in the transaction that drops it, so if the process
// dies half-way the next Open rebuilds the indexes and the search keys of
// the customers already written: a crash leaves whole batches and a working
// database.
type Bulk struct {
	db    *DB
	big   bool      // indexes dropped, keys spilled; see StartBulk
	keys  *keySpill // search keys by key, for searches over all customers
	owned *keySpill // the same by owner, for searches within a scope
	mu    sync.Mutex
	rows  map[string]int // rows prepared per table, for the audit log
}

// bulkIndexes are rebuilt after a bulk load rather than kept up to date:
// building one from sorted keys costs no more than maintaining it row by
// row, and leaves it packed. Indexes whose keys follow the customer id are
// kept.
var bulkIndexes = []string{
	"customers_owner", "customers_tier", "customers_intent", "customers_province", "customers_city",
	"customers_created", "customers_last_contact", "customers_pinyin", "customer_tags_tag", "customers_name_company",
}

// bulkTables are the tables a bulk load writes.
var bulkTables = []string{"customers", "customer_tags", "contacts", "holdings", "transactions", "interactions"}

// foreignKey is a constraint dropped during a bulk load.
type foreignKey struct{ name, drop, add string }

// bulkStale is how long a bulk load's heart may be still before another
// process takes it for dead and repairs what it left.
const bulkStale = 10 * time.Minute

// errBulkBusy is returned by StartBulk while another bulk load runs.
var errBulkBusy = kewei.Errorf(kewei.ECONFLICT, "another bulk load is running")

// StartBulk prepares the database for a bulk load. Foreign keys are not
// checked row by row during the load (SQLite) or are checked once at its end
// (PostgreSQL): the caller gives consistent batches.
func (db *DB) StartBulk(ctx context.Context) (*Bulk, error) { return db.startBulk(ctx, 512) }

// startBulk starts a bulk load with a page cache of cacheMB for SQLite,
// dropping the extra indexes too: those of records that arrive in no
// particular order of customer, as an import's may.
func (db *DB) startBulk(ctx context.Context, cacheMB int, extra ...string) (*Bulk, error) {
	if err := db.recoverBulk(ctx); err != nil {
		return nil, err
	}
	if db.BulkPending(ctx) {
		return nil, errBulkBusy
	}
	keys, err := newKeySpill(comparePairs)
	if err != nil {
		return nil, err
	}
	owned, err := newKeySpill(compareOwned)
	if err != nil {
		keys.close()
		return nil, err
	}
	if st := db.dialect.bulkConn(true); st != "" {
		if _, err := db.write.ExecContext(ctx, st); err != nil {
			keys.close()
			owned.close()
			return nil, db.mapError(err)
		}
	}
	err = db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO bulk_state (id, after_customer_id, owner, heartbeat_at)
			SELECT 1, COALESCE(MAX(id), 0), ?, ? FROM customers WHERE true`, bulkOwner(), ms(tx.now)); err != nil {
			return err
		}
		for _, name := range append(slices.Clip(bulkIndexes), extra...) {
			var def string
			found, err := tx.get(ctx, db.dialect.indexDefQuery(), []any{name}, &def)
			if err != nil || !found {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO bulk_indexes (name, definition) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, name, def); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DROP INDEX `+name); err != nil {
				return err
			}
		}
		fks, err := db.dialect.foreignKeys(ctx, tx, bulkTables)
		if err != nil {
			return err
		}
		for _, fk := range fks {
			if _, err := tx.exec(ctx, `INSERT INTO bulk_indexes (name, definition) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, "fk:"+fk.name, fk.add); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, fk.drop); err != nil {
				return err
			}
		}
		if p := db.dialect.bulkMode(cacheMB); p != "" {
			_, err := tx.exec(ctx, p)
			return err
		}
		return nil
	})
	if err != nil {
		keys.close()
		owned.close()
		return nil, err
	}
	return &Bulk{db: db, big: true, keys: keys, owned: owned, rows: map[string]int{}}, nil
}

// StartSmallBulk prepares a load too small to be worth rebuilding indexes
// for, beside people using the database: indexes and foreign keys stay as
// they are, and search keys are written with each batch.
func (db *DB) StartSmallBulk(ctx context.Context) *Bulk {
	return &Bulk{db: db, rows: map[string]int{}}
}

// Prepared is a batch turned into rows, ready to write, with statements
// to run in the same transaction.
type Prepared struct {
	tables []TableRows
	after  []stmt
}

// Load prepares and writes one batch.
func (b *Bulk) Load(ctx context.Context, batch *kewei.Batch) error {
	p, err := b.Prepare(batch)
	if err != nil {
		return err
	}
	return b.Write(ctx, p)
}

// Write writes a prepared batch in one transaction.
func (b *Bulk) Write(ctx context.Context, p *Prepared) error {
	after := p.after
	if b.big {
		after = append(after, stmt{`UPDATE bulk_state SET heartbeat_at = ?`, []any{ms(b.db.Now())}})
	}
	return b.db.dialect.copyTables(ctx, b.db, nil, p.tables, after...)
}

// Prepare turns a batch into rows — pinyin, JSON, plain values — and sets
// its search keys aside, sorted. It does not touch the database, so it can
// run on another goroutine while the previous batch is written.
func (b *Bulk) Prepare(batch *kewei.Batch) (*Prepared, error) {
	var tags [][]any
	var keys []keyPair
	tables := BatchRows(batch)
	for _, c := range batch.Customers {
		for _, k := range customerKeys(c) {
			keys = append(keys, keyPair{k, c.ID, c.OwnerID})
		}
		for _, t := range c.Tags {
			tags = append(tags, []any{t, c.ID})
		}
	}
	tables = append(tables, TableRows{"customer_tags", []string{"tag", "customer_id"}, tags})
	if b.big {
		if err := b.keys.add(keys); err != nil {
			return nil, fmt.Errorf("set search keys aside: %w", err)
		}
		if err := b.owned.add(keys); err != nil {
			return nil, fmt.Errorf("set search keys aside: %w", err)
		}
	} else {
		byKey, byOwner := make([][]any, len(keys)), make([][]any, len(keys))
		for i, k := range keys {
			byKey[i], byOwner[i] = []any{k.key, k.id}, []any{k.owner, k.key, k.id}
		}
		tables = append(tables, TableRows{"customer_search", []string{"key", "customer_id"}, byKey},
			TableRows{"customer_search_owner", []string{"owner_id", "key", "customer_id"}, byOwner})
	}
	b.mu.Lock()
	for _, t := range tables {
		b.rows[t.Table] += len(t.Rows)
	}
	b.mu.Unlock()
	return &Prepared{tables: tables}, nil
}

// BatchRows returns the rows of the batch's records as plain values in
// column order, without the search keys and tags derived from them.
func BatchRows(batch *kewei.Batch) []TableRows {
	var customers [][]any
	for _, c := range batch.Customers {
		c.Normalize()
		if c.NamePinyin == "" {
			c.NamePinyin = customerPinyin(c)
		}
		customers = append(customers, append(customerWriteArgs(c), msPtr(c.LastContactAt), ms(c.CreatedAt),
			ms(c.UpdatedAt), c.CreatedBy, c.UpdatedBy, 1, c.ID))
	}
	tables := []TableRows{
		{"customers", splitCols(customerWriteCols + `, last_contact_at, created_at, updated_at, created_by, updated_by, version, id`), customers},
		recordRows(&contactTable, batch.Contacts),
		recordRows(&holdingTable, batch.Holdings),
		recordRows(&transactionTable, batch.Transactions),
		recordRows(&interactionTable, batch.Interactions),
	}
	for _, t := range tables {
		for _, r := range t.Rows {
			for i, v := range r {
				r[i] = plain(v)
			}
		}
	}
	return tables
}

func recordRows[T any](t *recordTable[T], recs []*T) TableRows {
	rows := make([][]any, len(recs))
	for i, r := range recs {
		m := t.meta(r)
		rows[i] = append(append([]any{*m.ID, *m.CustomerID}, t.args(r)...), ms(*m.CreatedAt), ms(*m.UpdatedAt), 1)
	}
	return TableRows{t.table, splitCols(`id, customer_id, ` + t.cols + `, created_at, updated_at, version`), rows}
}

// plain turns a value into int64, float64, bool, string or nil, so the
// writer binds it without reflection.
func plain(v any) any {
	switch x := v.(type) {
	case nil, int64, float64, bool, string:
		return v
	case int:
		return int64(x)
	case driver.Valuer:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil
		}
		if out, err := x.Value(); err == nil {
			return out
		}
		return v
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return plain(rv.Elem().Interface())
	case reflect.String:
		return rv.String()
	case reflect.Int, reflect.Int64, reflect.Int32:
		return rv.Int()
	}
	return v
}

func splitCols(s string) []string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// TableRows are rows for one table, in the order of Cols.
type TableRows struct {
	Table string
	Cols  []string
	Rows  [][]any
}
