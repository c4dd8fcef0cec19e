package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/kewei-crm/kewei"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openSQLite opens the file as a production database: busy timeout first,
// WAL, foreign keys, NORMAL sync (durable at each checkpoint, safe from
// corruption), one writer connection that begins IMMEDIATE, several readers.
func (db *DB) openSQLite(opt Options) error {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", "file:"+db.dsn.Path+"?"+q.Encode())
	if err != nil {
		return err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.Ping(); err != nil {
		write.Close()
		return fmt.Errorf("open %s: %w", db.dsn.Path, err)
	}
	r := url.Values{}
	for k, v := range q {
		if k != "_txlock" && k != "_journal_mode" {
			r[k] = v
		}
	}
	r.Set("_query_only", "1")
	read, err := sql.Open("sqlite", "file:"+db.dsn.Path+"?"+r.Encode())
	if err != nil {
		write.Close()
		return err
	}
	n := opt.ReadConns
	if n <= 0 {
		n = 8
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db.write, db.read, db.dialect = write, read, sqliteDialect{}
	db.stmts = map[*sql.DB]*stmtCache{write: newStmtCache(write), read: newStmtCache(read)}
	return nil
}

type sqliteDialect struct{}

// nextSavepoint is two statements: SQLite's prepared statements hold one,
// and in the process they cost no round trip.
func (sqliteDialect) nextSavepoint() []string { return []string{`RELEASE SAVEPOINT w`, `SAVEPOINT w`} }

// auditAppend is "": the one writer chains the entries itself.
func (sqliteDialect) auditAppend() string { return "" }

func (sqliteDialect) name() string             { return "sqlite" }
func (sqliteDialect) migrationLock() string    { return "" }
func (sqliteDialect) rebind(q string) string   { return q }
func (sqliteDialect) mapError(err error) error { return mapSQLiteError(err) }

var sqliteColumnRE = regexp.MustCompile(`constraint failed: (?:\w+)\.(\w+)`)

func mapSQLiteError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	field := ""
	if m := sqliteColumnRE.FindStringSubmatch(se.Error()); m != nil {
		field = m[1]
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return uniqueError(field)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return kewei.Errorf(kewei.EINVALID, "a referenced record does not exist, or other records still refer to this one")
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
		return invalidField(field)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return kewei.Errorf(kewei.EUNAVAILABLE, "the database is busy; try again")
	case sqlite3.SQLITE_FULL:
		return kewei.Errorf(kewei.EUNAVAILABLE, "the disk is full; nothing was written")
	}
	if se.Code()&0xff == sqlite3.SQLITE_IOERR {
		// A write the system refused: a file grown past its limit, a disk
		// failing. The transaction is rolled back whole.
		return kewei.Errorf(kewei.EUNAVAILABLE, "the database could not write to its disk (full, over a size limit, or failing); nothing was written")
	}
	if strings.Contains(se.Error(), "interrupted") {
		return kewei.Errorf(kewei.EUNAVAILABLE, "the request was cancelled")
	}
	return err
}

// uniqueError names the field whose value is already taken.
func uniqueError(field string) error {
	if field == "" {
		return kewei.Errorf(kewei.ECONFLICT, "a record with the same value already exists")
	}
	return &kewei.Error{Code: kewei.ECONFLICT, Message: field + ": is already used by another record",
		Fields: []kewei.FieldError{{Field: field, Reason: kewei.ReasonDuplicate, Message: "is already used by another record"}}}
}

func invalidField(field string) error {
	return &kewei.Error{Code: kewei.EINVALID, Message: field + ": is not allowed",
		Fields: []kewei.FieldError{{Field: field, Reason: kewei.ReasonInvalidFormat, Message: "is not allowed"}}}
}
