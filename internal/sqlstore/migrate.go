package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/kewei-crm/kewei"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations lists the migration file names of a dialect, in order.
func Migrations(dialect string) ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/"+dialect+"/*.sql")
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "migrations/"+dialect+"/")
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies pending migrations when apply is set, each in its own
// transaction and recorded by name; otherwise it refuses a stale schema.
func (db *DB) migrate(ctx context.Context, apply bool) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	if !apply {
		return kewei.Errorf(kewei.EUNAVAILABLE,
			"the database schema is out of date (%d migration(s) pending, first %s); run `kewei migrate` against it first",
			len(pending), pending[0])
	}
	for _, name := range pending {
		if db.upTo != "" && name > db.upTo {
			break
		}
		body, err := migrationFS.ReadFile("migrations/" + db.dialect.name() + "/" + name)
		if err != nil {
			return err
		}
		err = db.writeTx(ctx, func(tx *Tx) error {
			// Two processes may migrate at once: take the dialect's lock,
			// then skip what the other one already applied.
			if lock := db.dialect.migrationLock(); lock != "" {
				if _, err := tx.exec(ctx, lock); err != nil {
					return err
				}
			}
			var done int
			if _, err := tx.get(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, []any{name}, &done); err != nil || done > 0 {
				return err
			}
			if _, err := tx.tx.ExecContext(tx.detach(ctx), string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			_, err := tx.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, tx.now.UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
		db.applied = append(db.applied, name)
	}
	return nil
}

// Applied lists the migrations this Open applied.
func (db *DB) Applied() []string { return db.applied }

// PendingMigrations lists the migrations not yet applied.
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	all, err := Migrations(db.dialect.name())
	if err != nil {
		return nil, err
	}
	rows, err := db.write.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		done[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var pending []string
	for _, n := range all {
		if !done[n] {
			pending = append(pending, n)
		}
	}
	return pending, nil
}

// Migrate applies pending migrations (kewei migrate).
func (db *DB) Migrate(ctx context.Context) error { return db.migrate(ctx, true) }
