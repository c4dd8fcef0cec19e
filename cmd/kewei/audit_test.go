package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestAuditVerify runs `kewei audit verify` on a clean log and on one whose
// fourth entry was changed directly in the database file.
func TestAuditVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kewei.db")
	vars := map[string]string{"KEWEI_DB": "sqlite:" + path}
	mustRun(t, vars, "team", "add", "--name", "北区")
	mustRun(t, vars, "user", "add", "--name", "wangli", "--role", "consultant", "--team", "北区")
	mustRun(t, vars, "demo", "--customers", "50", "--seed", "3", "--as-of", "2026-11-01", "--password", "demo password 1")
	if out := mustRun(t, vars, "audit", "verify"); !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("clean log: %s", out)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 4`} {
		if _, err := db.Exec(st); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	e, out, _ := testEnv(vars)
	if code := run(context.Background(), []string{"audit", "verify"}, e); code != 1 || !strings.Contains(out.String(), "BROKEN at entry 4") {
		t.Fatalf("tampered log: exit %d, %s", code, out)
	}
}
