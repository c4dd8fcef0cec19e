package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func bulkBatch(db *sqlstore.DB, from, n int) *kewei.Batch {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &kewei.Batch{}
	for i := from; i < from+n; i++ {
		c := &kewei.Customer{ID: db.NewID(), Name: fmt.Sprintf("客户%d", i), NamePinyin: fmt.Sprintf("ke hu %d", i),
			Phones: []kewei.Phone{{Number: fmt.Sprintf("1380000%04d", i), Label: "mobile"}}, Stage: kewei.StageCustomer,
			Tags: []string{"demo"}, Birthday: kewei.Date{Year: 1980, Month: 1, Day: 2}, CreatedAt: now, UpdatedAt: now}
		last := now.Add(time.Hour)
		c.LastContactAt = &last
		b.Customers = append(b.Customers, c)
		p := kewei.Money(500)
		b.Transactions = append(b.Transactions, &kewei.Transaction{ID: db.NewID(), CustomerID: c.ID, OccurredAt: now,
			Amount: 12345, Profit: &p, Quantity: 1, CreatedAt: now, UpdatedAt: now})
		b.Holdings = append(b.Holdings, &kewei.Holding{ID: db.NewID(), CustomerID: c.ID, Product: "车", Status: "active",
			AcquiredOn: kewei.Date{Year: 2025, Month: 5, Day: 1}, CreatedAt: now, UpdatedAt: now})
		b.Interactions = append(b.Interactions, &kewei.Interaction{ID: db.NewID(), CustomerID: c.ID, Kind: "call",
			Direction: "outbound", OccurredAt: last, Summary: "回访", CreatedAt: now, UpdatedAt: now})
		b.Contacts = append(b.Contacts, &kewei.Contact{ID: db.NewID(), CustomerID: c.ID, Name: "联系人", Role: "other",
			Phones: []kewei.Phone{}, CreatedAt: now, UpdatedAt: now})
	}
	return b
}

func TestBulkLoad(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := kewei.WithActor(context.Background(), kewei.SystemActor)
		bulk, err := db.StartBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := bulk.Load(ctx, bulkBatch(db, i*500, 500)); err != nil {
				t.Fatal(err)
			}
		}
		if err := bulk.Finish(ctx); err != nil {
			t.Fatal(err)
		}
		s := sqlstore.NewCustomerService(db)
		list, err := s.FindCustomers(ctx, kewei.CustomerFilter{Query: "0042"})
		if err != nil || list.Total != 1 || list.Items[0].Name != "客户42" {
			t.Fatalf("search after bulk: %+v %v", list, err)
		}
		list, err = s.FindCustomers(ctx, kewei.CustomerFilter{Tag: "demo"})
		if err != nil || list.Total != 1500 {
			t.Fatalf("tag after bulk: %d %v", list.Total, err)
		}
		tl, err := sqlstore.NewTimelineService(db).FindTimeline(ctx, kewei.TimelineFilter{CustomerID: list.Items[0].ID})
		if err != nil || tl.Total != 5 {
			t.Fatalf("timeline after bulk: %+v %v", tl, err)
		}
	})
}

func TestBulkLoadCutShortIsRepairedOnOpen(t *testing.T) {
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			dsn := sqltest.MustDSN(t, driver)
			ctx := kewei.WithActor(context.Background(), kewei.SystemActor)
			db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			bulk, err := db.StartBulk(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := bulk.Load(ctx, bulkBatch(db, 0, 100)); err != nil {
				t.Fatal(err)
			}
			if _, err := db.StartBulk(ctx); kewei.ErrorCode(err) != kewei.ECONFLICT {
				t.Fatalf("a second bulk load beside a running one: %v", err)
			}
			again, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
			if err != nil || !again.BulkPending(ctx) {
				t.Fatalf("opening beside a running load repaired it: %v", err)
			}
			again.Close()
			if err := db.KillBulkOwner(ctx); err != nil {
				t.Fatal(err)
			}
			db.Close() // the process dies before Finish
			db, err = sqlstore.Open(ctx, dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			list, err := sqlstore.NewCustomerService(db).FindCustomers(ctx, kewei.CustomerFilter{Query: "客户7", Sort: "name"})
			if err != nil || list.Total != 11 {
				t.Fatalf("after repair: %d %v", list.Total, err)
			}
			if db.BulkPending(ctx) {
				t.Fatal("the bulk load is still pending")
			}
		})
	}
}
