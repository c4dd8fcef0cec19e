package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/kewei-crm/kewei"
)

// ImportStore keeps the import ledger and writes imported batches.
type ImportStore struct {
	db    *DB
	mu    sync.Mutex
	loads map[int64]*load // by import id, while running
}

// load is an import's bulk load and the batch it is writing: a batch is
// prepared on the import's goroutine while the one before is written on
// another, so reading the file and writing the database overlap.
type load struct {
	bulk    *Bulk
	writing chan error // the write in flight, nil when none
}

// wait waits for the write in flight and returns its error.
func (l *load) wait() error {
	if l.writing == nil {
		return nil
	}
	err := <-l.writing
	l.writing = nil
	return err
}

// importCacheMB is the SQLite page cache of a large import, small enough to
// keep the whole import within 500 MB.
const importCacheMB = 64

// recordIndexes are the indexes a large import of records rebuilds at its
// end rather than keeps: a file's rows come in any order of customer.
var recordIndexes = map[string][]string{"contacts": {"contacts_customer"}, "holdings": {"holdings_customer"},
	"transactions": {"transactions_customer"}, "interactions": {"interactions_customer"}}

// NewImportStore returns the import store of db.
func NewImportStore(db *DB) *ImportStore { return &ImportStore{db: db, loads: map[int64]*load{}} }

var _ kewei.ImportStore = (*ImportStore)(nil)

const importCols = `id, kind, file_name, size, checksum, status, dry_run, lines, imported, skipped, failed, batches, error, actor_id, started_at, finished_at`

func scanImport(r scanner) (*kewei.Import, error) {
	i := &kewei.Import{}
	err := r.Scan(&i.ID, &i.Kind, &i.FileName, &i.Size, &i.Checksum, &i.Status, &i.DryRun, &i.Lines, &i.Imported, &i.Skipped, &i.Failed,
		&i.Batches, &i.Error, &i.ActorID, instant{&i.StartedAt}, optInstant{&i.FinishedAt})
	return i, err
}

// BeginImport records an import or resumes the unfinished one of the same
// file, and starts its bulk load: a big one drops indexes and rebuilds them
// at the end, a small one loads beside people using the database.
func (s *ImportStore) BeginImport(ctx context.Context, imp *kewei.Import, again bool) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return kewei.Errorf(kewei.EFORBIDDEN, "your role imports nothing")
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		var prev *kewei.Import
		if !imp.DryRun {
			var err error
			prev, err = queryOne(ctx, tx, scanImport, nil, `SELECT `+importCols+` FROM imports WHERE kind = ? AND checksum = ?
				AND NOT dry_run ORDER BY id DESC LIMIT 1`, imp.Kind, imp.Checksum)
			if err != nil {
				return err
			}
		}
		switch {
		case prev != nil && prev.Status != kewei.ImportDone:
			name, big := imp.FileName, imp.Big
			*imp = *prev
			imp.FileName, imp.Big = name, big
			imp.Status = kewei.ImportRunning
			_, err := tx.exec(ctx, `UPDATE imports SET status = ?, error = '', finished_at = 0 WHERE id = ?`, imp.Status, imp.ID)
			return err
		case prev != nil && !again:
			return kewei.Errorf(kewei.ECONFLICT, "this file was imported on %s (import %d); import it again only on purpose",
				prev.StartedAt.Format("2006-01-02 15:04"), prev.ID)
		}
		imp.ID, imp.Status, imp.ActorID, imp.StartedAt = tx.db.ids.next(), kewei.ImportRunning, a.UserID, tx.now
		_, err := tx.exec(ctx, `INSERT INTO imports (id, kind, file_name, size, checksum, status, dry_run, actor_id, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, imp.ID, imp.Kind, imp.FileName, imp.Size, imp.Checksum, imp.Status, imp.DryRun,
			imp.ActorID, ms(tx.now))
		return err
	})
	if err != nil {
		return err
	}
	bulk := s.db.StartSmallBulk(ctx)
	if imp.Big && !imp.DryRun {
		drop := recordIndexes[imp.Kind]
		if imp.Kind == "transactions" {
			// With no numbered transaction yet, numbers cannot clash with
			// earlier ones: their unique index is rebuilt at the end too.
			if any, err := s.AnyTransactionNumbers(ctx); err == nil && !any {
				drop = append(slices.Clip(drop), "transactions_external_uq")
			}
		}
		big, err := s.db.startBulk(ctx, importCacheMB, drop...)
		switch {
		case errors.Is(err, errBulkBusy):
			imp.Big = false // another load is rebuilding indexes; load beside it
		case err != nil:
			return err
		default:
			bulk = big
		}
	}
	s.mu.Lock()
	s.loads[imp.ID] = &load{bulk: bulk}
	s.mu.Unlock()
	return nil
}

// NewID returns a fresh id.
func (s *ImportStore) NewID() int64 { return s.db.NewID() }

// WriteBatch writes the batch, its problems, its ledger line and the
// import's counters in one transaction. Interactions move their customers'
// last contact forward.
func (s *ImportStore) WriteBatch(ctx context.Context, imp *kewei.Import, n int, b *kewei.Batch, probs []kewei.ImportProblem) error {
	s.mu.Lock()
	l := s.loads[imp.ID]
	s.mu.Unlock()
	if l == nil {
		return kewei.Errorf(kewei.ECONFLICT, "import %d is not running", imp.ID)
	}
	p := &Prepared{}
	if !imp.DryRun {
		var err error
		if p, err = l.bulk.Prepare(b); err != nil {
			return err
		}
	}
	rows := make([][]any, len(probs))
	for i, pr := range probs {
		rows[i] = []any{imp.ID, int64(pr.Line), pr.Column, pr.Value, pr.Reason, pr.Message}
	}
	p.tables = append(p.tables, TableRows{"import_problems", []string{"import_id", "line", "column_name", "value", "reason", "message"}, rows})
	if !imp.DryRun {
		p.after = append(p.after, lastContacts(b.Interactions)...)
		p.after = append(p.after, upsertProducts(b.Products)...)
	}
	p.after = append(p.after,
		stmt{`INSERT INTO import_batches (import_id, batch_no, lines) VALUES (?, ?, ?)`, []any{imp.ID, int64(n), int64(imp.Lines)}},
		stmt{`UPDATE imports SET lines = ?, imported = ?, skipped = ?, failed = ?, batches = ? WHERE id = ?`,
			[]any{int64(imp.Lines), int64(imp.Imported), int64(imp.Skipped), int64(imp.Failed), int64(n + 1), imp.ID}})
	if err := l.wait(); err != nil {
		return err
	}
	done := make(chan error, 1)
	l.writing = done
	// A batch handed over is written whole: cancelling stops the import
	// after it.
	go func() { done <- l.bulk.Write(context.WithoutCancel(ctx), p) }()
	imp.Batches = n + 1
	return nil
}

// upsertProducts puts catalogue rows in by code, updating a product whose
// code is there already.
func upsertProducts(ps []*kewei.Product) []stmt {
	out := make([]stmt, len(ps))
	for i, p := range ps {
		out[i] = stmt{`INSERT INTO products (id, ` + productCols + `, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, price = excluded.price,
				purchase = excluded.purchase, life_months = excluded.life_months, active = excluded.active, note = excluded.note,
				updated_at = excluded.updated_at, version = products.version + 1`,
			append(append([]any{p.ID}, productArgs(p)...), ms(p.CreatedAt), ms(p.UpdatedAt))}
		for j, v := range out[i].args {
			out[i].args[j] = plain(v)
		}
	}
	return out
}

// lastContacts moves each customer's last contact to their latest
// interaction in the batch, when it is later.
func lastContacts(ins []*kewei.Interaction) []stmt {
	latest := map[int64]int64{}
	for _, in := range ins {
		if at := ms(in.OccurredAt); at > latest[in.CustomerID] {
			latest[in.CustomerID] = at
		}
	}
	out := make([]stmt, 0, len(latest))
	for id, at := range latest {
		out = append(out, stmt{`UPDATE customers SET last_contact_at = ? WHERE id = ? AND COALESCE(last_contact_at, 0) < ?`,
			[]any{at, id, at}})
	}
	return out
}

// EndImport finishes the bulk load and records the outcome, with one audit
// entry for the whole file.
func (s *ImportStore) EndImport(ctx context.Context, imp *kewei.Import) error {
	s.mu.Lock()
	l := s.loads[imp.ID]
	delete(s.loads, imp.ID)
	s.mu.Unlock()
	if l != nil {
		if err := l.wait(); err != nil && imp.Status != kewei.ImportCancelled {
			imp.Status, imp.Error = kewei.ImportFailed, err.Error()
		}
		if err := l.bulk.Finish(context.WithoutCancel(ctx)); err != nil && imp.Error == "" {
			imp.Status, imp.Error = kewei.ImportFailed, err.Error()
		}
	}
	if !imp.DryRun && imp.Imported > 0 && (imp.Kind == "products" || imp.Kind == "holdings") {
		// Holdings' due dates follow the catalogue and the other holdings.
		sys := kewei.WithActor(context.WithoutCancel(ctx), kewei.SystemActor)
		if _, err := NewProductService(s.db).RefreshDue(sys); err != nil && imp.Error == "" {
			imp.Error = "computing due dates: " + err.Error()
		}
	}
	if !imp.DryRun && imp.Imported > 0 && imp.Kind != "products" {
		// Imported customers are checked against everyone once, at the end.
		sys := kewei.WithActor(context.WithoutCancel(ctx), kewei.SystemActor)
		if _, err := NewDuplicateService(s.db).ScanDuplicates(sys, imp.StartedAt); err != nil && imp.Error == "" {
			imp.Error = "looking for duplicates: " + err.Error()
		}
	}
	return s.db.writeTx(context.WithoutCancel(ctx), func(tx *Tx) error {
		imp.FinishedAt = &tx.now
		// The counters are those the committed batches wrote.
		if _, err := tx.exec(ctx, `UPDATE imports SET status = ?, error = ?, finished_at = ? WHERE id = ?`,
			imp.Status, imp.Error, ms(tx.now), imp.ID); err != nil {
			return err
		}
		if _, err := tx.get(ctx, `SELECT lines, imported, skipped, failed, batches FROM imports WHERE id = ?`, []any{imp.ID},
			&imp.Lines, &imp.Imported, &imp.Skipped, &imp.Failed, &imp.Batches); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionBulkLoad, "import", imp.ID, 0, imp)
	})
}

// FindImport returns one import.
func (s *ImportStore) FindImport(ctx context.Context, id int64) (*kewei.Import, error) {
	var imp *kewei.Import
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		imp, err = queryOne(ctx, tx, scanImport, kewei.Errorf(kewei.ENOTFOUND, "import %d not found", id),
			`SELECT `+importCols+` FROM imports WHERE id = ?`, id)
		return err
	})
	if err == nil {
		if a := kewei.ActorFrom(ctx); !a.IsAdmin() && a.UserID != imp.ActorID {
			return nil, kewei.Errorf(kewei.ENOTFOUND, "import %d not found", id)
		}
	}
	return imp, err
}

// FindImports returns the actor's latest imports, or everyone's for
// administrators.
func (s *ImportStore) FindImports(ctx context.Context) ([]*kewei.Import, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if !a.IsAdmin() {
		w = w.and(`actor_id = ?`, a.UserID)
	}
	list := []*kewei.Import{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+importCols+` FROM imports`+w.sql()+` ORDER BY id DESC LIMIT 50`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			imp, err := scanImport(rows)
			if err != nil {
				return err
			}
			list = append(list, imp)
		}
		return rows.Err()
	})
	return list, err
}

// ResolveCustomers maps customer numbers to ids within the actor's scope.
func (s *ImportStore) ResolveCustomers(ctx context.Context, refs []string) (map[string]int64, error) {
	out := map[string]int64{}
	cond, cargs := scopeCond(kewei.ActorFrom(ctx), "c")
	err := s.inChunks(ctx, refs, func(tx *Tx, chunk []any) error {
		w := where{}.and(`c.external_id IN (`+placeholders(len(chunk))+`)`, chunk...).and(cond, cargs...)
		rows, err := tx.query(ctx, `SELECT c.external_id, c.id FROM customers c`+w.sql(), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ref string
			var id int64
			if err := rows.Scan(&ref, &id); err != nil {
				return err
			}
			out[ref] = id
		}
		return rows.Err()
	})
	return out, err
}

// ExistingCustomers returns which customer numbers exist, in any scope.
func (s *ImportStore) ExistingCustomers(ctx context.Context, refs []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.inChunks(ctx, refs, func(tx *Tx, chunk []any) error {
		rows, err := tx.query(ctx, `SELECT external_id FROM customers WHERE external_id IN (`+placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ref string
			if err := rows.Scan(&ref); err != nil {
				return err
			}
			out[ref] = true
		}
		return rows.Err()
	})
	return out, err
}

// ExistingTransactions returns which keys exist, looked up by the unique
// index on (customer, external id).
func (s *ImportStore) ExistingTransactions(ctx context.Context, keys []kewei.TransactionKey) (map[kewei.TransactionKey]bool, error) {
	out := map[kewei.TransactionKey]bool{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if err := tx.customPlans(ctx); err != nil {
			return err
		}
		for start := 0; start < len(keys); start += 250 {
			chunk := keys[start:min(start+250, len(keys))]
			var q strings.Builder
			args := make([]any, 0, 2*len(chunk))
			q.WriteString(`SELECT customer_id, external_id FROM transactions WHERE `)
			for i, k := range chunk {
				if i > 0 {
					q.WriteString(` OR `)
				}
				q.WriteString(`(customer_id = ? AND external_id = ?)`)
				args = append(args, k.CustomerID, k.ExternalID)
			}
			rows, err := tx.query(ctx, q.String(), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k kewei.TransactionKey
				if err := rows.Scan(&k.CustomerID, &k.ExternalID); err != nil {
					rows.Close()
					return err
				}
				out[k] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// AnyTransactionNumbers reports whether any transaction has a number.
func (s *ImportStore) AnyTransactionNumbers(ctx context.Context) (bool, error) {
	var any bool
	err := s.db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT EXISTS (SELECT 1 FROM transactions WHERE external_id IS NOT NULL)`, nil, &any)
		return err
	})
	return any, err
}

// ResolveUsers maps active users' sign-in and display names to ids.
func (s *ImportStore) ResolveUsers(ctx context.Context) (map[string]kewei.UserRef, error) {
	out := map[string]kewei.UserRef{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, COALESCE(team_id, 0), name, display_name FROM users WHERE NOT disabled`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u kewei.UserRef
			var name, display string
			if err := rows.Scan(&u.ID, &u.TeamID, &name, &display); err != nil {
				return err
			}
			out[name], out[display] = u, u
		}
		return rows.Err()
	})
	return out, err
}

// inChunks reads in one transaction, 500 values a query.
func (s *ImportStore) inChunks(ctx context.Context, vals []string, fn func(tx *Tx, chunk []any) error) error {
	return s.db.readTx(ctx, func(tx *Tx) error {
		if err := tx.customPlans(ctx); err != nil {
			return err
		}
		for start := 0; start < len(vals); start += 500 {
			chunk := make([]any, 0, 500)
			for _, v := range vals[start:min(start+500, len(vals))] {
				chunk = append(chunk, v)
			}
			if err := fn(tx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportProblems calls fn with each problem of an import the actor may see,
// in line order.
func (s *ImportStore) ImportProblems(ctx context.Context, id int64, fn func(kewei.ImportProblem) error) error {
	if _, err := s.FindImport(ctx, id); err != nil {
		return err
	}
	return s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT line, column_name, value, reason, message FROM import_problems
			WHERE import_id = ? ORDER BY line`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p kewei.ImportProblem
			if err := rows.Scan(&p.Line, &p.Column, &p.Value, &p.Reason, &p.Message); err != nil {
				return err
			}
			if err := fn(p); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// customPlans makes the rest of the transaction plan each lookup afresh,
// where the dialect needs it.
func (tx *Tx) customPlans(ctx context.Context) error {
	if st := tx.db.dialect.customPlans(); st != "" {
		_, err := tx.exec(ctx, st)
		return err
	}
	return nil
}
