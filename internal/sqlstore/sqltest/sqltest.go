// Package sqltest stands up real stores for tests: a fresh SQLite file
// always, and a fresh PostgreSQL schema when KEWEI_TEST_POSTGRES_DSN is set.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// PostgresEnv names the variable that holds the PostgreSQL test server.
const PostgresEnv = "KEWEI_TEST_POSTGRES_DSN"

// Drivers returns the drivers to test on: "sqlite", and "postgres" when
// PostgresEnv is set.
func Drivers() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest on every driver with a fresh, migrated store.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	if os.Getenv(PostgresEnv) == "" {
		t.Log("PostgreSQL skipped: set " + PostgresEnv + "=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run it")
	}
	for _, d := range Drivers() {
		t.Run(d, func(t *testing.T) { fn(t, MustOpen(t, d)) })
	}
}

// MustOpen opens a fresh, migrated store on driver, closed when tb ends.
func MustOpen(tb testing.TB, driver string) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), MustDSN(tb, driver), sqlstore.Options{Migrate: true})
	if err != nil {
		tb.Fatalf("open %s: %v", driver, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustDSN returns the address of a fresh, empty database on driver: a new
// SQLite file, or a new schema on the PostgreSQL test server, dropped when tb
// ends.
func MustDSN(tb testing.TB, driver string) string {
	tb.Helper()
	if driver == "sqlite" {
		return "sqlite:" + filepath.Join(tb.TempDir(), "kewei.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skip("PostgreSQL skipped: set " + PostgresEnv + " to run it")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "kw_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	return WithSearchPath(base, schema)
}

// WithSearchPath returns the PostgreSQL URL with search_path set to schema.
func WithSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil || !strings.HasPrefix(base, "postgres") {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
