// Package sqlstore is Kewei's one store, on SQLite and on PostgreSQL. Public
// methods open a transaction and call private (ctx, tx, …) helpers so that
// several steps share it; SQL is written once with ? placeholders and
// rewritten for PostgreSQL by the dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// DB is an open store.
type DB struct {
	// Now is the clock; tests replace it.
	Now func() time.Time

	dsn     DSN
	dialect dialect
	write   *sql.DB // SQLite: one connection taking the write lock up front
	read    *sql.DB // SQLite: a pool of readers; PostgreSQL: the same pool as write
	ids     *idGen
	applied []string
	trace   func(string, []any)
	upTo    string // Options.upTo
	// stmts caches prepared statements per pool (SQLite only).
	stmts map[*sql.DB]*stmtCache
	// commits runs the write transactions, in groups (group_commit.go).
	commits *committer
	// actors caches who tokens are (auth_cache.go).
	actors actorCache
	// counts and fields cache customer totals and the custom field
	// definitions (read_cache.go).
	counts ttlCache[matchCount]
	fields ttlCache[kewei.CustomFieldSet]
}

// DSN is a parsed database address.
type DSN struct {
	Driver string // "sqlite" or "postgres"
	Path   string // SQLite file
	URL    string // PostgreSQL connection string
}

// ParseDSN reads "sqlite:PATH" or a postgres:// (postgresql://) URL.
func ParseDSN(s string) (DSN, error) {
	switch {
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(s, "sqlite:"), "//")
		if p == "" {
			return DSN{}, fmt.Errorf("database %q: sqlite needs a file path, as in sqlite:./kewei.db", s)
		}
		return DSN{Driver: "sqlite", Path: p}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return DSN{Driver: "postgres", URL: s}, nil
	}
	return DSN{}, fmt.Errorf("database %q: use sqlite:PATH or a postgres:// URL", s)
}

// Options change how Open behaves.
type Options struct {
	// Migrate applies pending migrations. SQLite databases are always
	// migrated; PostgreSQL ones only when this is set (kewei migrate), and
	// otherwise Open refuses a stale schema.
	Migrate bool
	// ReadConns bounds the SQLite reader pool (default 8).
	ReadConns int
	// Trace, when set, sees every statement with its arguments, as the
	// database receives it. The benchmarks use it to replay the store's own
	// queries against the bare database.
	Trace func(query string, args []any)
	// upTo, set by tests only, stops the migrations after this one: a
	// database of an earlier schema, to upgrade.
	upTo string
}

// Open connects to the database, checks or applies its migrations and claims
// an id node.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	d, err := ParseDSN(dsn)
	if err != nil {
		return nil, kewei.Errorf(kewei.EINVALID, "%s", err)
	}
	db := &DB{Now: time.Now, dsn: d, trace: opt.Trace, upTo: opt.upTo}
	switch d.Driver {
	case "sqlite":
		err = db.openSQLite(opt)
	default:
		err = db.openPostgres(ctx)
	}
	if err != nil {
		return nil, err
	}
	db.startCommitter()
	if err := db.migrate(ctx, opt.Migrate || d.Driver == "sqlite"); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.recoverBulk(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.ids, err = db.claimIDNode(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connections.
func (db *DB) Close() error {
	var err error
	if db.commits != nil {
		db.commits.close()
	}
	for _, c := range db.stmts {
		c.close()
	}
	db.stmts = nil
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Driver returns "sqlite" or "postgres".
func (db *DB) Driver() string { return db.dsn.Driver }

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return kewei.Errorf(kewei.EUNAVAILABLE, "database unavailable")
	}
	return nil
}

// now returns the clock's time truncated to what the database keeps.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Millisecond) }

// CountRows counts the rows of one of the store's tables, for operators and
// benchmarks.
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	if !slices.Contains(idTables, table) {
		return 0, fmt.Errorf("sqlstore: no table %q", table)
	}
	var n int
	err := db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT COUNT(*) FROM `+table, nil, &n)
		return err
	})
	return n, err
}

// Pools returns the connection pools' statistics: one pool on PostgreSQL,
// the writer and the readers on SQLite.
func (db *DB) Pools() map[string]sql.DBStats {
	if db.read == db.write {
		return map[string]sql.DBStats{"main": db.write.Stats()}
	}
	return map[string]sql.DBStats{"write": db.write.Stats(), "read": db.read.Stats()}
}

// JobCounts counts the job queue's jobs by state; none before the queue
// has made its tables.
func (db *DB) JobCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	rows, err := db.read.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return out, nil // no queue yet
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// SchemaVersion is the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(name), '') FROM schema_migrations`).Scan(&v)
	return v, err
}

// Optimize refreshes the planner's statistics of tables that changed much
// since they were last gathered: SQLite's PRAGMA optimize with a bounded
// sample, PostgreSQL's ANALYZE (sampled too; autovacuum would do it, if it
// runs and in its own time). Run after large writes: a plan made on a
// table's old size was a thousand times slower (8 s for a 10 ms query).
func (db *DB) Optimize(ctx context.Context) error {
	q := `ANALYZE`
	if db.dsn.Driver == "sqlite" {
		q = `PRAGMA analysis_limit = 1000; PRAGMA optimize`
	}
	_, err := db.write.ExecContext(ctx, q)
	return err
}
