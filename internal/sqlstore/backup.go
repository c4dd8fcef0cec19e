package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kewei-crm/kewei"
)

// A backup is a SQLite file with Kewei's schema, whatever the database it
// came from: SQLite's own VACUUM INTO, or PostgreSQL's tables copied from
// one snapshot. So a backup restores into either database, and an older
// backup is brought up to date by the migrations like any SQLite file.

// notBackedUp are tables a backup leaves out: the job queue's (jobs are
// transient and each database has its own), the migration ledger (the
// file has its own), the id nodes (each database keeps its own claims)
// and the state of a bulk load under way.
func notBackedUp(table string) bool {
	return strings.HasPrefix(table, "river") || strings.HasPrefix(table, "sqlite_") ||
		slices.Contains([]string{"schema_migrations", "id_nodes", "bulk_indexes", "bulk_state", "backup_info"}, table)
}

// BackupInfo is what a backup holds.
type BackupInfo struct {
	From    string         // the driver it was taken from
	At      time.Time      // when
	Rows    map[string]int // per table
	Version string         // the last migration of its schema
}

// Backup writes a consistent copy of the database to path, a new file,
// while the database serves: SQLite through VACUUM INTO, PostgreSQL from
// one repeatable-read snapshot.
func (db *DB) Backup(ctx context.Context, path string, progress func(table string, rows int)) (*BackupInfo, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, kewei.Errorf(kewei.ECONFLICT, "%s exists; a backup never overwrites a file", path)
	}
	var err error
	if db.dsn.Driver == "sqlite" {
		_, err = db.write.ExecContext(ctx, `VACUUM INTO ?`, path)
	} else {
		err = db.backupPostgres(ctx, path, progress)
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("backup: %w", err)
	}
	return stampBackup(ctx, path, db.dsn.Driver)
}

// stampBackup records where and when the backup came from and counts its
// rows.
func stampBackup(ctx context.Context, path, from string) (*BackupInfo, error) {
	f, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info := &BackupInfo{From: from, At: time.Now().UTC(), Rows: map[string]int{}}
	tables, err := fileTables(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		var n int
		if err := f.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		info.Rows[t] = n
	}
	if err := f.QueryRowContext(ctx, `SELECT COALESCE(MAX(name), '') FROM schema_migrations`).Scan(&info.Version); err != nil {
		return nil, err
	}
	_, err = f.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS backup_info (source TEXT NOT NULL, taken_at INTEGER NOT NULL);
		DELETE FROM backup_info; INSERT INTO backup_info VALUES (?, ?)`, from, info.At.UnixMilli())
	return info, err
}

// fileTables lists a SQLite file's Kewei tables, parents before the
// tables that refer to them.
func fileTables(ctx context.Context, f *sql.DB) ([]string, error) {
	rows, err := f.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		if !notBackedUp(n) {
			names = append(names, n)
		}
	}
	rows.Close()
	parents := map[string][]string{}
	for _, n := range names {
		fk, err := f.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, err
		}
		for fk.Next() {
			var p string
			if err := fk.Scan(&p); err != nil {
				fk.Close()
				return nil, err
			}
			if p != n {
				parents[n] = append(parents[n], p)
			}
		}
		fk.Close()
	}
	var out []string
	done := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, p := range parents[n] {
			visit(p)
		}
		out = append(out, n)
	}
	for _, n := range names {
		visit(n)
	}
	return out, nil
}

// fileColumns lists a SQLite table's columns.
func fileColumns(ctx context.Context, f *sql.DB, table string) ([]string, error) {
	rows, err := f.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// backupPostgres makes a SQLite file of the current schema and copies
// every table into it from one snapshot.
func (db *DB) backupPostgres(ctx context.Context, path string, progress func(string, int)) error {
	file, err := Open(ctx, "sqlite:"+path, Options{})
	if err != nil {
		return err
	}
	file.Close()
	f, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(0)&_pragma=journal_mode(off)&_pragma=synchronous(off)")
	if err != nil {
		return err
	}
	defer f.Close()
	f.SetMaxOpenConns(1)
	tables, err := fileTables(ctx, f)
	if err != nil {
		return err
	}
	cols := map[string][]string{}
	for _, t := range tables {
		if cols[t], err = fileColumns(ctx, f, t); err != nil {
			return err
		}
	}
	snap, err := db.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer snap.Rollback()
	out, err := f.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer out.Rollback()
	for _, t := range tables {
		// The migrations seed some tables; the snapshot's rows replace them.
		if _, err := out.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
		n, err := copyRows(ctx, snap, out, t, cols[t])
		if err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
		if progress != nil {
			progress(t, n)
		}
	}
	return out.Commit()
}

// copyRows copies a table's rows from a transaction to a SQLite one, as
// values SQLite keeps: days as YYYY-MM-DD, the rest as read.
func copyRows(ctx context.Context, from, to *sql.Tx, table string, cols []string) (int, error) {
	list := `"` + strings.Join(cols, `", "`) + `"`
	rows, err := from.QueryContext(ctx, `SELECT `+list+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	ins, err := to.PrepareContext(ctx, `INSERT INTO `+table+` (`+list+`) VALUES (`+placeholders(len(cols))+`)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if t, ok := v.(time.Time); ok {
				vals[i] = t.Format(time.DateOnly)
			}
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// Restore fills a new database with the backup's rows, in one
// transaction: a failure leaves it as it was. The backup is first brought
// up to this version's schema. A database that holds customers, users or
// audit entries is refused: the audit log is append-only, and a restore
// never deletes one — restore into a new database and switch to it. Start
// the servers on it after the restore: a running one hands out ids from
// what it read at start.
func (db *DB) Restore(ctx context.Context, path string, progress func(table string, rows int)) (*BackupInfo, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, kewei.Errorf(kewei.ENOTFOUND, "%s: %v", path, err)
	}
	// Bring an older backup up to date (on a copy: the file stays as it was).
	work := path + ".restoring"
	os.Remove(work)
	if err := copyFile(path, work); err != nil {
		return nil, err
	}
	defer os.Remove(work)
	up, err := Open(ctx, "sqlite:"+work, Options{})
	if err != nil {
		return nil, fmt.Errorf("%s is not a Kewei backup: %w", path, err)
	}
	up.Close()
	f, err := sql.Open("sqlite", "file:"+work+"?_query_only=1")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var from string
	var at int64
	if err := f.QueryRowContext(ctx, `SELECT source, taken_at FROM backup_info`).Scan(&from, &at); err != nil {
		return nil, fmt.Errorf("%s is not a Kewei backup (no backup_info): %w", path, err)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM users)
		+ (SELECT COUNT(*) FROM audit_log)`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, kewei.Errorf(kewei.ECONFLICT,
			"the database holds customers, users or audit entries; a restore never deletes an audit trail: restore into a new database (a new SQLite file, or an empty PostgreSQL database or schema) and switch to it")
	}
	tables, err := fileTables(ctx, f)
	if err != nil {
		return nil, err
	}
	info := &BackupInfo{From: from, At: time.UnixMilli(at).UTC(), Rows: map[string]int{}}
	src, err := f.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer src.Rollback()
	if db.dsn.Driver == "sqlite" {
		err = db.restoreSQLite(ctx, src, f, tables, info, progress)
	} else {
		err = db.restorePostgres(ctx, src, f, tables, info, progress)
	}
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return info, nil
}

// copyFile streams a file: a backup may be gigabytes.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (db *DB) restoreSQLite(ctx context.Context, src *sql.Tx, f *sql.DB, tables []string, info *BackupInfo, progress func(string, int)) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		tx.effects = changesAll // every table is replaced
		if _, err := tx.tx.ExecContext(tx.detach(ctx), `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		for i := len(tables) - 1; i >= 0; i-- {
			if _, err := tx.tx.ExecContext(tx.detach(ctx), `DELETE FROM `+tables[i]); err != nil {
				return err
			}
		}
		for _, t := range tables {
			cols, err := fileColumns(ctx, f, t)
			if err != nil {
				return err
			}
			n, err := copyRows(tx.detach(ctx), src, tx.tx, t, cols)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			info.Rows[t] = n
			if progress != nil {
				progress(t, n)
			}
		}
		return nil
	})
}

func (db *DB) restorePostgres(ctx context.Context, src *sql.Tx, f *sql.DB, tables []string, info *BackupInfo, progress func(string, int)) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer db.changed(changesAll) // every table is replaced
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for i := len(tables) - 1; i >= 0; i-- {
			if _, err := tx.Exec(ctx, `DELETE FROM `+tables[i]); err != nil {
				return err
			}
		}
		for _, t := range tables {
			cols, err := fileColumns(ctx, f, t)
			if err != nil {
				return err
			}
			types, err := pgTypes(ctx, tx, t)
			if err != nil {
				return err
			}
			rows, err := src.QueryContext(ctx, `SELECT "`+strings.Join(cols, `", "`)+`" FROM `+t)
			if err != nil {
				return err
			}
			s := &rowSource{rows: rows, types: make([]string, len(cols)), vals: make([]any, len(cols))}
			for i, c := range cols {
				s.types[i] = types[c]
			}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{t}, cols, s)
			rows.Close()
			if err == nil {
				err = s.err
			}
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			info.Rows[t] = int(n)
			if progress != nil {
				progress(t, int(n))
			}
		}
		return tx.Commit(ctx)
	})
}

// pgTypes maps a table's columns to their PostgreSQL types.
func pgTypes(ctx context.Context, tx pgx.Tx, table string) (map[string]string, error) {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, err
		}
		out[c] = t
	}
	if len(out) == 0 {
		return nil, errors.New("table " + table + " is not in the database")
	}
	return out, rows.Err()
}

// rowSource feeds COPY from a SQLite query, turning SQLite's values into
// what each PostgreSQL column takes.
type rowSource struct {
	rows  *sql.Rows
	types []string
	vals  []any
	err   error
}

func (s *rowSource) Next() bool {
	if !s.rows.Next() {
		return false
	}
	ptrs := make([]any, len(s.vals))
	for i := range s.vals {
		ptrs[i] = &s.vals[i]
	}
	if s.err = s.rows.Scan(ptrs...); s.err != nil {
		return false
	}
	for i, v := range s.vals {
		s.vals[i] = pgValue(v, s.types[i])
	}
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.vals, nil }

func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

func pgValue(v any, typ string) any {
	switch x := v.(type) {
	case int64:
		switch typ {
		case "boolean":
			return x != 0
		case "double precision", "real", "numeric":
			return float64(x)
		}
	case []byte:
		if typ != "bytea" {
			return string(x)
		}
	case time.Time:
		if typ == "date" {
			return x.Format(time.DateOnly)
		}
	}
	return v
}
