package sqlstore_test

import (
	"context"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestUpgradeFromThePreviousSchema fills a database as the previous
// version left it (every migration but the newest) with records, then
// opens it with this version: the migrations run, the records read back,
// and the new columns work.
func TestUpgradeFromThePreviousSchema(t *testing.T) {
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			all, err := sqlstore.Migrations(driver)
			if err != nil || len(all) < 2 {
				t.Fatal(all, err)
			}
			dsn := sqltest.MustDSN(t, driver)
			old, err := sqlstore.OpenUpTo(ctx, dsn, all[len(all)-2])
			if err != nil {
				t.Fatal(err)
			}
			if pending, _ := old.PendingMigrations(ctx); len(pending) != 1 {
				t.Fatalf("pending before the upgrade: %v", pending)
			}
			// Rows as the previous version wrote them, through its own SQL.
			stmts := []string{
				`INSERT INTO customers (id, kind, name, name_pinyin, stage, tier, created_at, updated_at, version) VALUES (101, 'individual', '老客户', 'laokehu lkh', 'customer', 'B', 1700000000000, 1700000000000, 1)`,
				`INSERT INTO holdings (id, customer_id, product, category, status, acquired_on, created_at, updated_at, version) VALUES (201, 101, '大众途观L', 'car', 'active', '2021-01-05', 1700000000000, 1700000000000, 1)`,
				`INSERT INTO transactions (id, customer_id, occurred_at, amount, product, quantity, created_at, updated_at, version) VALUES (301, 101, 1700000000000, 25980000, '大众途观L', 1, 1700000000000, 1700000000000, 1)`,
			}
			for _, q := range stmts {
				if err := old.ExecRaw(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			old.Close()

			db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := db.Applied(); len(got) != 1 || got[0] != all[len(all)-1] {
				t.Fatalf("applied on upgrade: %v", got)
			}
			hs, err := sqlstore.NewRecords(db).Holdings.List(sys, kewei.RecordFilter{CustomerID: 101})
			if err != nil || len(hs.Items) != 1 || hs.Items[0].Product != "大众途观L" || !hs.Items[0].DueOn.IsZero() {
				t.Fatalf("holdings after the upgrade: %+v %v", hs, err)
			}
			if err := sqlstore.NewProductService(db).CreateProduct(sys, &kewei.Product{Code: "CAR-A", Name: "大众途观L",
				Purchase: kewei.PurchaseOnce, LifeMonths: 72}); err != nil {
				t.Fatal(err)
			}
			hs, _ = sqlstore.NewRecords(db).Holdings.List(sys, kewei.RecordFilter{CustomerID: 101})
			if hs.Items[0].DueOn.String() != "2027-01-05" || hs.Items[0].DueSource != kewei.DueLifeCycle {
				t.Errorf("due after the upgrade: %+v", hs.Items[0])
			}
		})
	}
}
