package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func day(s string) kewei.Date {
	d, err := kewei.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestCatalogueDrivesDueDates: a holding's due date follows its own date,
// then the customer's rhythm, then its product's life cycle, and moves
// when the holding or the catalogue changes; the list of who is due
// counts from the business's today and keeps to the caller's scope.
func TestCatalogueDrivesDueDates(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		products, records := sqlstore.NewProductService(db), sqlstore.NewRecords(db)
		alice, _ := mustUser(t, db, "alice", kewei.RoleConsultant)
		bob, _ := mustUser(t, db, "bob", kewei.RoleConsultant)

		car := &kewei.Product{Code: "TG-L", Name: "途观L", Category: "car", Purchase: kewei.PurchaseOnce, LifeMonths: 72, Active: true}
		wantCode(t, products.CreateProduct(alice, car), kewei.EFORBIDDEN)
		if err := products.CreateProduct(sys, car); err != nil {
			t.Fatal(err)
		}
		wantCode(t, products.CreateProduct(sys, &kewei.Product{Code: "TG-L", Name: "又一个"}), kewei.ECONFLICT)
		if err := products.CreateProduct(sys, &kewei.Product{Code: "", Name: "x", LifeMonths: -1}); len(kewei.ErrorFields(err)) != 2 {
			t.Fatalf("a bad product: %v", err)
		}

		a := mustCustomer(t, alice, db, &kewei.Customer{Name: "甲"})
		b := mustCustomer(t, bob, db, &kewei.Customer{Name: "乙"})
		// Named by code, and by name: both link to the catalogue.
		ha := &kewei.Holding{Product: "TG-L", Category: "car", AcquiredOn: day("2020-12-20")}
		if err := records.Holdings.Create(alice, a.ID, ha); err != nil {
			t.Fatal(err)
		}
		hb := &kewei.Holding{Product: "途观L", Category: "car", AcquiredOn: day("2021-01-05")}
		if err := records.Holdings.Create(bob, b.ID, hb); err != nil {
			t.Fatal(err)
		}
		list := func(ctx context.Context, f kewei.DueFilter) []string {
			t.Helper()
			if f.Today.IsZero() {
				f.Today = day("2026-11-22")
			}
			l, err := products.FindDue(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, it := range l.Items {
				out = append(out, fmt.Sprintf("%s %s %s %d", it.CustomerName, it.Due, it.Source, it.InDays))
			}
			return out
		}
		want := func(got []string, w ...string) {
			t.Helper()
			if w == nil {
				w = []string{}
			}
			if !slices.Equal(got, w) {
				t.Errorf("due: %q, want %q", got, w)
			}
		}
		// Six years after delivery: 甲 on 20 Dec, 乙 on 5 Jan.
		want(list(sys, kewei.DueFilter{Within: 30}), "甲 2026-12-20 life_cycle 28")
		want(list(sys, kewei.DueFilter{Within: 60}), "甲 2026-12-20 life_cycle 28", "乙 2027-01-05 life_cycle 44")
		want(list(alice, kewei.DueFilter{Within: 60}), "甲 2026-12-20 life_cycle 28")
		want(list(bob, kewei.DueFilter{Within: 60}), "乙 2027-01-05 life_cycle 44")
		// The window counts from the business's today: a day later in
		// Shanghai, 乙 is one day nearer.
		want(list(bob, kewei.DueFilter{Within: 43, Today: day("2026-11-23")}), "乙 2027-01-05 life_cycle 43")
		want(list(bob, kewei.DueFilter{Within: 43}))

		// The catalogue changes: a five-year life brings both due dates
		// into the past; only the overdue list shows them.
		var p kewei.Patch
		p.Version = car.Version
		p.Set("life_months", 60)
		if _, err := products.UpdateProduct(sys, car.ID, p); err != nil {
			t.Fatal(err)
		}
		want(list(sys, kewei.DueFilter{Within: 60}))
		want(list(sys, kewei.DueFilter{Within: 60, Overdue: true}), "甲 2025-12-20 life_cycle -337", "乙 2026-01-05 life_cycle -321")

		// 甲's own rhythm: an earlier car bought four years before this one.
		if err := records.Holdings.Create(alice, a.ID, &kewei.Holding{Product: "朗逸", Category: "car", Status: kewei.HoldingEnded,
			AcquiredOn: day("2016-12-20")}); err != nil {
			t.Fatal(err)
		}
		want(list(alice, kewei.DueFilter{Within: 3660, Overdue: true}), "甲 2024-12-20 rhythm -702")
		// Its own renewal date wins over everything.
		var hp kewei.Patch
		hp.Version = ha.Version
		hp.Set("renewal_due", "2026-12-01")
		if _, err := records.Holdings.Update(alice, ha.ID, hp); err != nil {
			t.Fatal(err)
		}
		want(list(alice, kewei.DueFilter{Within: 30}), "甲 2026-12-01 own_date 9")

		// Removing the product leaves 乙 with nothing to go by.
		cur, _ := products.FindProduct(sys, car.ID)
		if err := products.DeleteProduct(sys, car.ID, cur.Version); err != nil {
			t.Fatal(err)
		}
		want(list(bob, kewei.DueFilter{Within: 3660, Overdue: true}))

		// A full refresh finds nothing to change, then restores what a
		// direct write lost.
		if n, err := products.RefreshDue(sys); err != nil || n != 0 {
			t.Fatalf("refresh: %d %v", n, err)
		}
		if _, err := products.RefreshDue(alice); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant refreshes: %v", err)
		}
		car2 := &kewei.Product{Code: "TG-L", Name: "途观L", Purchase: kewei.PurchaseOnce, LifeMonths: 72}
		if err := products.CreateProduct(sys, car2); err != nil {
			t.Fatal(err)
		}
		want(list(bob, kewei.DueFilter{Within: 60}), "乙 2027-01-05 life_cycle 44")
		if _, err := products.FindDue(sys, kewei.DueFilter{Within: 5000}); len(kewei.ErrorFields(err)) != 1 {
			t.Fatalf("a window of 5000 days: %v", err)
		}
	})
}

// TestOneOffsOfACustomer lists the one-off products a customer holds or
// bought, by code and name, and nothing repeatable.
func TestOneOffsOfACustomer(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		products, records := sqlstore.NewProductService(db), sqlstore.NewRecords(db)
		alice, _ := mustUser(t, db, "alice", kewei.RoleConsultant)
		bob, _ := mustUser(t, db, "bob", kewei.RoleConsultant)
		for _, p := range []*kewei.Product{
			{Code: "CAR", Name: "轿车", Purchase: kewei.PurchaseOnce},
			{Code: "WAR", Name: "延保", Purchase: kewei.PurchaseOnce},
			{Code: "OIL", Name: "机油", Purchase: kewei.PurchaseRepeat},
			{Code: "SUV", Name: "越野车", Purchase: kewei.PurchaseOnce},
		} {
			if err := products.CreateProduct(sys, p); err != nil {
				t.Fatal(err)
			}
		}
		c := mustCustomer(t, alice, db, &kewei.Customer{Name: "甲"})
		for _, h := range []*kewei.Holding{{Product: "CAR"}, {Product: "越野车", Status: kewei.HoldingEnded}} {
			if err := records.Holdings.Create(alice, c.ID, h); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []string{"延保", "OIL"} {
			tr := &kewei.Transaction{Product: p, Amount: 100, OccurredAt: day("2026-01-01").Time(time.UTC)}
			if err := records.Transactions.Create(alice, c.ID, tr); err != nil {
				t.Fatal(err)
			}
		}
		got, err := products.OneOffsOf(alice, c.ID)
		slices.Sort(got)
		// The ended SUV is no longer held and was never bought here.
		if err != nil || !slices.Equal(got, []string{"CAR", "WAR", "延保", "轿车"}) {
			t.Fatalf("one-offs: %v %v", got, err)
		}
		if _, err := products.OneOffsOf(bob, c.ID); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
	})
}
