package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kewei-crm/kewei"
)

// Tx is one transaction, with the time it started (every row it writes gets
// the same timestamp) and the dialect that rewrites its queries.
type Tx struct {
	tx *sql.Tx // nil for a read on PostgreSQL
	// q is what statements run on: tx, or for a read on PostgreSQL one
	// connection of the read-only pool.
	q     querier
	db    *DB
	now   time.Time
	stmts *stmtCache // SQLite: the pool's prepared statements
	// grouped is set for a write run by the committer: its statements run
	// without their context's cancellation, which on SQLite would undo the
	// whole group (an interrupted write rolls its transaction back).
	grouped bool
	// audits, for a write run by the committer, holds its group's audit
	// entries until the group commits.
	audits *auditBuffer
	// effects are the cached answers its writes may change: its commit
	// empties their caches (read_cache.go).
	effects effects
	// reading is set for a read: it may use the cached answers, and keep
	// what it reads under gens.
	reading bool
	gens    cacheGens
}

// detach strips ctx's cancellation from a grouped write's statements.
func (tx *Tx) detach(ctx context.Context) context.Context {
	if tx.grouped {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// querier runs statements: *sql.Tx and *sql.Conn are.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) newTx(sqlTx *sql.Tx, pool *sql.DB) *Tx {
	return &Tx{tx: sqlTx, q: sqlTx, db: db, now: db.now(), stmts: db.stmts[pool]}
}

// readTx runs fn on the readers. On SQLite that is a transaction: one
// consistent snapshot for a list and its count. On PostgreSQL it is one
// connection of the read-only pool without BEGIN and COMMIT: at PostgreSQL's
// READ COMMITTED a transaction gives each statement its own snapshot anyway,
// and the two round trips were a third of a read request's.
func (db *DB) readTx(ctx context.Context, fn func(*Tx) error) error {
	gens := db.cacheGens()
	if db.dsn.Driver != "postgres" {
		return db.runTx(ctx, db.read, func(tx *Tx) error {
			tx.reading, tx.gens = true, gens
			return fn(tx)
		})
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return db.mapError(err)
	}
	defer conn.Close()
	return fn(&Tx{q: conn, db: db, now: db.now(), reading: true, gens: gens})
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, fn func(*Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return db.mapError(err)
	}
	tx := db.newTx(sqlTx, pool)
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return db.mapError(err)
	}
	return nil
}

// rebind rewrites the query for the database and shows it to the tracer.
func (tx *Tx) rebind(q string, args []any) string {
	q = tx.db.dialect.rebind(q)
	if tx.db.trace != nil {
		tx.db.trace(q, args)
	}
	return q
}

// prepared returns the transaction's use of q's cached statement, or nil.
func (tx *Tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	if st := tx.stmts.lookup(q); st != nil {
		return tx.tx.StmtContext(ctx, st)
	}
	return nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = tx.detach(ctx)
	tx.effects |= effectsOf(q)
	q = tx.rebind(q, args)
	if st := tx.prepared(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, tx.db.mapError(err)
	}
	res, err := tx.q.ExecContext(ctx, q, args...)
	return res, tx.db.mapError(err)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = tx.detach(ctx)
	q = tx.rebind(q, args)
	if st := tx.prepared(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, tx.db.mapError(err)
	}
	rows, err := tx.q.QueryContext(ctx, q, args...)
	return rows, tx.db.mapError(err)
}

// get scans the first row into dest and reports whether there was one.
func (tx *Tx) get(ctx context.Context, q string, args []any, dest ...any) (bool, error) {
	ctx = tx.detach(ctx)
	q = tx.rebind(q, args)
	var row *sql.Row
	if st := tx.prepared(ctx, q); st != nil {
		row = st.QueryRowContext(ctx, args...)
	} else {
		row = tx.q.QueryRowContext(ctx, q, args...)
	}
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, tx.db.mapError(err)
}

// mapError turns driver errors into domain errors in one place: constraint
// violations become EINVALID or ECONFLICT naming the field, a cancelled
// request stays a context error, everything else is internal.
func (db *DB) mapError(err error) error {
	if err == nil {
		return nil
	}
	var ke *kewei.Error
	if errors.As(err, &ke) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return db.dialect.mapError(err)
}

// checkAffected turns "no row changed" after a versioned update or delete into
// ECONFLICT when the row exists and ENOTFOUND when it does not.
func (tx *Tx) checkAffected(ctx context.Context, res sql.Result, table string, id int64, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var version int
	found, err := tx.get(ctx, `SELECT version FROM `+table+` WHERE id = ?`, []any{id}, &version)
	if err != nil {
		return err
	}
	if !found {
		return kewei.Errorf(kewei.ENOTFOUND, "%s %d not found", what, id)
	}
	return kewei.Errorf(kewei.ECONFLICT, "%s %d was changed by someone else (now version %d); reload and try again", what, id, version)
}

// ids returns the first column of a query's rows as ids.
func (tx *Tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
