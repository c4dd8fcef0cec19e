package sqlstore

import (
	"context"
	"os"

	"github.com/kewei-crm/kewei"
)

// SetCommonTag lowers the common-tag threshold for a test and returns the
// function that restores it.
func SetCommonTag(n int) func() {
	old := commonTag
	commonTag = n
	return func() { commonTag = old }
}

// ExecRaw runs a statement on the writer, bypassing the store: tests use it
// to tamper with the database as an attacker with file access would.
func (db *DB) ExecRaw(q string, args ...any) error {
	_, err := db.write.Exec(db.dialect.rebind(q), args...)
	db.changed(changesAll)
	return err
}

// KillBulkOwner makes the running bulk load look like the work of a process
// on this machine that has died.
func (db *DB) KillBulkOwner(ctx context.Context) error {
	host, _ := os.Hostname()
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE bulk_state SET owner = ?`, host+":2147483647")
		return err
	})
}

// SetScanByLookup changes when a duplicate scan walks sorted keys instead
// of looking customers up, and returns the function that restores it.
func SetScanByLookup(n int) func() {
	old := scanByLookup
	scanByLookup = n
	return func() { scanByLookup = old }
}

// OpenUpTo opens a database migrated up to and including the named
// migration, as an earlier version of Kewei left it.
func OpenUpTo(ctx context.Context, dsn, last string) (*DB, error) {
	return Open(ctx, dsn, Options{Migrate: true, upTo: last})
}

// Write runs fn in a write transaction; exec runs a statement in it.
func (db *DB) Write(ctx context.Context, fn func(exec func(q string, args ...any) error) error) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		return fn(func(q string, args ...any) error {
			_, err := tx.exec(ctx, q, args...)
			return err
		})
	})
}

// Keys returns the k column of a test table, sorted.
func (db *DB) Keys(table string) ([]string, error) {
	rows, err := db.read.Query(`SELECT k FROM ` + table + ` ORDER BY k`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Committers is how many write groups run at once.
func (db *DB) Committers() int {
	if db.dsn.Driver == "postgres" {
		return pgCommitters
	}
	return 1
}

// WriteAudited appends an audit entry naming key, then fails if asked.
func (db *DB) WriteAudited(ctx context.Context, key string, fail bool) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := tx.appendAudit(ctx, "create", "gc", 0, 0, map[string]string{"k": key}); err != nil {
			return err
		}
		if fail {
			return kewei.Errorf(kewei.EINVALID, "asked to fail")
		}
		return nil
	})
}

// Read runs fn on the readers, as a read of the store does; exec runs a
// statement there.
func (db *DB) Read(ctx context.Context, fn func(exec func(q string, args ...any) error) error) error {
	return db.readTx(ctx, func(tx *Tx) error {
		return fn(func(q string, args ...any) error {
			_, err := tx.exec(ctx, q, args...)
			return err
		})
	})
}

// SetTrace shows every statement run from now on to fn.
func (db *DB) SetTrace(fn func(q string, args []any)) { db.trace = fn }
