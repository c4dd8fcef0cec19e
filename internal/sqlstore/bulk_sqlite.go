package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

func (sqliteDialect) indexDefQuery() string {
	return `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`
}

// bulkMode gives the writer a larger page cache (cacheMB, 0 to go back to
// normal) during a bulk load, sorts in temporary files, and lets the
// write-ahead log grow to 400 MB between checkpoints, so pages written by
// many batches are copied into the database once, not each time.
func (sqliteDialect) bulkMode(cacheMB int) string {
	if cacheMB > 0 {
		// Index rebuilds sort millions of rows: in files, not in memory.
		return fmt.Sprintf(`PRAGMA cache_size = -%d; PRAGMA wal_autocheckpoint = 100000; PRAGMA temp_store = FILE`, cacheMB*1024)
	}
	return `PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 1000; PRAGMA temp_store = MEMORY`
}

// bulkConn turns foreign-key checks off on the writer during a bulk load;
// the pragma has no effect inside a transaction, hence its own statement.
func (sqliteDialect) bulkConn(on bool) string {
	if on {
		return `PRAGMA foreign_keys = OFF`
	}
	return `PRAGMA foreign_keys = ON`
}

func (sqliteDialect) foreignKeys(context.Context, *Tx, []string) ([]foreignKey, error) {
	return nil, nil
}

// analyze samples at most a thousand rows an index, so it stays quick on a
// big database.
func (sqliteDialect) analyze() string { return `PRAGMA analysis_limit = 1000; ANALYZE` }

// vacuum is not needed: SQLite reuses free pages, and the bulk load
// analyzes.
func (sqliteDialect) vacuum(...string) string { return "" }

// copyTables inserts with multi-row statements, prepared once per shape.
func (sqliteDialect) copyTables(ctx context.Context, db *DB, before []stmt, tables []TableRows, after ...stmt) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		for _, st := range before {
			if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		for _, t := range tables {
			if err := insertRows(ctx, tx, t); err != nil {
				return err
			}
		}
		for _, st := range after {
			if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertRows(ctx context.Context, tx *Tx, t TableRows) error {
	// SQLite binds at most 32766 values per statement.
	per := min(200, 32000/len(t.Cols))
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, per*len(t.Cols))
	for start := 0; start < len(t.Rows); start += per {
		end := min(start+per, len(t.Rows))
		n := end - start
		stmt := stmts[n]
		if stmt == nil {
			q := `INSERT INTO ` + t.Table + ` (` + strings.Join(t.Cols, ", ") + `) VALUES ` +
				strings.TrimSuffix(strings.Repeat("("+placeholders(len(t.Cols))+"), ", n), ", ")
			var err error
			tx.effects |= effectsOf(q)
			if stmt, err = tx.tx.PrepareContext(tx.detach(ctx), q); err != nil {
				return tx.db.mapError(err)
			}
			stmts[n] = stmt
		}
		args = args[:0]
		for _, r := range t.Rows[start:end] {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(tx.detach(ctx), args...); err != nil {
			return tx.db.mapError(err)
		}
	}
	return nil
}

// customPlans is not needed: SQLite plans each statement from its indexes
// alone, not from statistics taken while the table was small.
func (sqliteDialect) customPlans() string { return "" }
