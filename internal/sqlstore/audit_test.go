package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// tamper runs a statement with the append-only triggers out of the way, as
// someone with direct access to the database file or server could.
func tamper(t *testing.T, db *sqlstore.DB, stmt string) {
	t.Helper()
	var before, after []string
	if db.Driver() == "sqlite" {
		before = []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	} else {
		before = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
		after = []string{`ALTER TABLE audit_log ENABLE TRIGGER USER`}
	}
	for _, st := range append(append(before, stmt), after...) {
		if err := db.ExecRaw(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func TestAuditChain(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		as := sqlstore.NewAuditService(db)
		check, err := as.VerifyAudit(sys)
		if err != nil || check.BrokenAt != 0 || check.Entries < 10 {
			t.Fatalf("a clean log: %+v %v", check, err)
		}
		// The store itself refuses to change or delete entries.
		for _, st := range []string{`UPDATE audit_log SET actor_name = 'x' WHERE seq = 3`, `DELETE FROM audit_log WHERE seq = 3`,
			`DELETE FROM audit_payloads WHERE seq = 3`, `UPDATE audit_payloads SET payload = '{}' WHERE seq = 3`} {
			if err := db.ExecRaw(st); err == nil || !strings.Contains(err.Error(), "append-only") && !strings.Contains(err.Error(), "erased") {
				t.Fatalf("%s was allowed: %v", st, err)
			}
		}
		// Changing an entry behind the store's back breaks the chain there.
		tamper(t, db, `UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 5`)
		check, err = as.VerifyAudit(sys)
		if err != nil || check.BrokenAt != 5 || check.Entries != 4 {
			t.Fatalf("after changing entry 5: %+v %v", check, err)
		}
		_ = w
	})
}

func TestAuditChainNamesADeletedEntry(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		mustWorld(t, db)
		tamper(t, db, `DELETE FROM audit_log WHERE seq = 7`)
		check, err := sqlstore.NewAuditService(db).VerifyAudit(sys)
		if err != nil || check.BrokenAt != 8 || !strings.Contains(check.Reason, "entry 7 is missing") {
			t.Fatalf("after deleting entry 7: %+v %v", check, err)
		}
	})
}

func TestAuditPayloadTamper(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		mustWorld(t, db)
		trigger := `DROP TRIGGER audit_payloads_erase_only`
		if db.Driver() == "postgres" {
			trigger = `ALTER TABLE audit_payloads DISABLE TRIGGER USER`
		}
		if err := db.ExecRaw(trigger); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(`UPDATE audit_payloads SET payload = '{"after":{"name":"forged"}}' WHERE seq = 4`); err != nil {
			t.Fatal(err)
		}
		check, err := sqlstore.NewAuditService(db).VerifyAudit(sys)
		if err != nil || check.BrokenAt != 4 || !strings.Contains(check.Reason, "payload") {
			t.Fatalf("after forging payload 4: %+v %v", check, err)
		}
	})
}

func TestEveryChangeIsAudited(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		ctx := w.as["c1"]
		c := w.customers["c1"]
		recs := sqlstore.NewRecords(db)
		in := &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访"}
		if err := recs.Interactions.Create(ctx, c.ID, in); err != nil {
			t.Fatal(err)
		}
		var p kewei.Patch
		p.Version = 1
		p.Set("outcome", "满意")
		if _, err := recs.Interactions.Update(ctx, in.ID, p); err != nil {
			t.Fatal(err)
		}
		if err := recs.Interactions.Delete(ctx, in.ID, 2); err != nil {
			t.Fatal(err)
		}
		log, err := sqlstore.NewAuditService(db).FindAudit(w.as["admin"], kewei.AuditFilter{ObjectType: "interaction", ObjectID: in.ID})
		if err != nil || len(log.Items) != 3 {
			t.Fatalf("interaction audit: %+v %v", log, err)
		}
		for i, action := range []string{"delete", "update", "create"} {
			e := log.Items[i]
			if e.Action != action || e.ActorName != "c1" || e.CustomerID != c.ID {
				t.Errorf("entry %d: %+v", i, e)
			}
		}
		if !strings.Contains(string(log.Items[1].Payload), `"before"`) || !strings.Contains(string(log.Items[1].Payload), `"after"`) {
			t.Errorf("an update keeps before and after: %s", log.Items[1].Payload)
		}
	})
}
