package sqlstore_test

import (
	"context"
	"testing"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// A read runs without a transaction on PostgreSQL; its sessions must still
// refuse to write, as SQLite's query-only readers do.
func TestReadsCannotWrite(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.ExecRaw(`CREATE TABLE rw (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		err := db.Read(ctx, func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO rw (k) VALUES (?)`, "read")
		})
		if err == nil {
			t.Fatal("a read wrote a row")
		}
		// A write is still a write, and the readers see it at once.
		if err := db.Write(ctx, func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO rw (k) VALUES (?)`, "write")
		}); err != nil {
			t.Fatal(err)
		}
		keys, err := db.Keys("rw")
		if err != nil || len(keys) != 1 || keys[0] != "write" {
			t.Fatalf("rows = %v, %v; want [write]", keys, err)
		}
	})
}
