package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"sync"
)

// dialect holds what differs between SQLite and PostgreSQL beyond the
// migration files.
type dialect interface {
	// name is the migrations folder.
	name() string
	// rebind rewrites ? placeholders into the database's own.
	rebind(query string) string
	// migrationLock is a statement that serialises migrating processes
	// inside a transaction, or "".
	migrationLock() string
	// indexDefQuery returns the statement that created the index named by
	// its one parameter.
	indexDefQuery() string
	// bulkMode returns the statement that tunes the writer for a bulk load
	// (on) or back for everyday work (off), or "".
	bulkMode(cacheMB int) string
	// bulkConn returns the statement, run outside any transaction on the
	// writer, that switches row-by-row foreign-key checks off (on) or back
	// on (off) for a bulk load, or "".
	bulkConn(on bool) string
	// foreignKeys lists the foreign keys on the tables that a bulk load
	// drops and adds back, checking them once; none where bulkConn turns
	// the checks off instead.
	foreignKeys(ctx context.Context, tx *Tx, tables []string) ([]foreignKey, error)
	// analyze refreshes the planner's statistics.
	analyze() string
	// vacuum reclaims the tables a bulk load or a full replacement wrote
	// and refreshes their statistics and visibility map, outside any
	// transaction; "" where the database needs none of it.
	vacuum(tables ...string) string
	// customPlans is a statement that makes the rest of a transaction plan
	// each query for its own values, or "". An import's lookups run while
	// the table grows from nothing: a plan cached when it was small (a
	// sequential scan) would stay and make every later lookup slower.
	customPlans() string
	// copyTables writes many rows into several tables in one transaction,
	// the fastest way the database offers, between the statements before
	// and after, in the same transaction.
	copyTables(ctx context.Context, db *DB, before []stmt, tables []TableRows, after ...stmt) error
	// auditAppend is a statement that chains and appends the audit entries
	// given as JSON (kewei_audit_append), under a lock held to the commit;
	// "" where Kewei chains them itself, the writers being serial anyway.
	auditAppend() string
	// nextSavepoint releases savepoint w and makes it again, for the next
	// write of a group.
	nextSavepoint() []string
	// mapError turns a driver error into a domain error, or returns it.
	mapError(err error) error
}

// dollarParams rewrites ? into $1, $2, … and remembers each query it has seen.
type dollarParams struct{ cache sync.Map }

func (d *dollarParams) rebind(q string) string {
	if v, ok := d.cache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	d.cache.Store(q, out)
	return out
}

// stmt is a statement with its arguments.
type stmt struct {
	q    string
	args []any
}
