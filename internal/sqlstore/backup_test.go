package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestBackupRestoreRoundTrip backs up a database with demo customers, an
// erased person and an audit trail, while it serves, and restores it into
// a fresh database of each kind: every table's count, the audit chain and
// the erasure come back the same.
func TestBackupRestoreRoundTrip(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		mustUser(t, db, "alice", kewei.RoleConsultant)
		bulk := db.StartSmallBulk(sys)
		if err := demo.Generate(sys, demo.Options{Customers: 300, Seed: 3, AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			NewID: db.NewID}, func(b *kewei.Batch) error { return bulk.Load(sys, b) }); err != nil {
			t.Fatal(err)
		}
		if err := bulk.Finish(sys); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.NewProductService(db).PutCatalogue(sys, demo.Catalogue()); err != nil {
			t.Fatal(err)
		}
		gone := mustCustomer(t, sys, db, &kewei.Customer{Name: "要被删除的人", Phones: []kewei.Phone{{Number: "13812345678"}}})
		if err := sqlstore.NewPrivacyService(db).ErasePerson(sys, gone.ID, "本人要求"); err != nil {
			t.Fatal(err)
		}
		// Writes go on while the backup is taken.
		stop := make(chan struct{})
		done := make(chan error)
		go func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, &kewei.Customer{Name: "写入中"}); err != nil {
					done <- err
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		path := filepath.Join(t.TempDir(), "kewei.backup")
		info, err := db.Backup(sys, path, nil)
		close(stop)
		if werr := <-done; werr != nil {
			t.Fatal(werr)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Backup(sys, path, nil); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a backup over a file: %v", err)
		}
		if info.Rows["customers"] < 301 || info.Rows["transactions"] == 0 || info.Rows["audit_log"] == 0 {
			t.Fatalf("backup rows: %v", info.Rows)
		}
		for _, driver := range sqltest.Drivers() {
			t.Run("into "+driver, func(t *testing.T) {
				to := sqltest.MustOpen(t, driver)
				got, err := to.Restore(context.Background(), path, nil)
				if err != nil {
					t.Fatal(err)
				}
				for table, n := range info.Rows {
					if got.Rows[table] != n {
						t.Errorf("%s: %d rows restored, %d backed up", table, got.Rows[table], n)
					}
				}
				check, err := sqlstore.NewAuditService(to).VerifyAudit(sys)
				if err != nil || check.BrokenAt != 0 || check.Entries != int64(info.Rows["audit_log"]) {
					t.Errorf("audit chain after restore: %+v %v", check, err)
				}
				c, err := sqlstore.NewCustomerService(to).FindCustomerByID(sys, gone.ID)
				if err != nil || c.Name == "要被删除的人" || len(c.Phones) != 0 {
					t.Errorf("the erased person came back: %+v %v", c, err)
				}
				// A second restore over data is refused: it would delete
				// an audit trail.
				if _, err := to.Restore(context.Background(), path, nil); kewei.ErrorCode(err) != kewei.ECONFLICT {
					t.Errorf("restore over data: %v", err)
				}
				// The restored database keeps working: new ids do not clash.
				if err := sqlstore.NewCustomerService(to).CreateCustomer(sys, &kewei.Customer{Name: "恢复后"}); err != nil {
					t.Error(err)
				}
			})
		}
	})
}
