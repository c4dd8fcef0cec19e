package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

func (*postgresDialect) indexDefQuery() string {
	return `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
}

func (*postgresDialect) bulkMode(int) string { return "" }

func (*postgresDialect) bulkConn(bool) string { return "" }

func (*postgresDialect) customPlans() string { return `SET LOCAL plan_cache_mode = force_custom_plan` }

// foreignKeys lists the foreign keys of the tables from the catalogue, with
// the statements that drop them and add them back.
func (*postgresDialect) foreignKeys(ctx context.Context, tx *Tx, tables []string) ([]foreignKey, error) {
	rows, err := tx.query(ctx, `SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
		ORDER BY c.conname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []foreignKey
	for rows.Next() {
		var name, table, def string
		if err := rows.Scan(&name, &table, &def); err != nil {
			return nil, err
		}
		if slices.Contains(tables, table) {
			out = append(out, foreignKey{name: name, drop: `ALTER TABLE ` + table + ` DROP CONSTRAINT ` + name,
				add: `ALTER TABLE ` + table + ` ADD CONSTRAINT ` + name + ` ` + def})
		}
	}
	return out, rows.Err()
}

// analyze is left to vacuum, which also analyzes.
func (*postgresDialect) analyze() string { return "" }

// vacuum sets the visibility map of the tables named, not of every table
// in the database, and refreshes their statistics: until it is set, no
// query can read an index alone (a manager's kanban fetched 20,000
// customer rows for their ids), and autovacuum may be off.
func (*postgresDialect) vacuum(tables ...string) string {
	return `VACUUM (ANALYZE) ` + strings.Join(tables, ", ")
}

// copyTables streams the rows with COPY, all tables in one transaction.
func (d *postgresDialect) copyTables(ctx context.Context, db *DB, before []stmt, tables []TableRows, after ...stmt) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return db.mapError(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, st := range before {
			if _, err := tx.Exec(ctx, d.rebind(st.q), st.args...); err != nil {
				return err
			}
		}
		for _, t := range tables {
			if len(t.Rows) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Cols, pgx.CopyFromRows(t.Rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", t.Table, err)
			}
		}
		for _, st := range after {
			if _, err := tx.Exec(ctx, d.rebind(st.q), st.args...); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
	// Outside the committer: the caches learn of the rows here.
	db.changed(changesAll)
	return db.mapError(err)
}
