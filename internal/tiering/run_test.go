package tiering_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/tiering"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

func mustActor(t *testing.T, db *sqlstore.DB, name string, role kewei.Role) context.Context {
	t.Helper()
	u := &kewei.User{Name: name, DisplayName: name, Role: role}
	if err := sqlstore.NewUserService(db).CreateUser(sys, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(sys, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return kewei.WithActor(context.Background(), a)
}

// mustCustomers makes n customers owned by the actor of ctx; customer i
// (from 1) bought i × 100 yuan on 2026-10-01 and, if i is even, again
// in 2024, outside a 12-month window.
func mustCustomers(t *testing.T, ctx context.Context, db *sqlstore.DB, n int) []*kewei.Customer {
	t.Helper()
	cs := sqlstore.NewCustomerService(db)
	txs := sqlstore.NewRecords(db).Transactions
	var out []*kewei.Customer
	for i := 1; i <= n; i++ {
		c := &kewei.Customer{Name: fmt.Sprintf("客户%03d", i), Province: []string{"广东", "浙江"}[i%2]}
		if err := cs.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 10, 1, 10, 0, 0, 0, time.Local)
		if err := txs.Create(ctx, c.ID, &kewei.Transaction{OccurredAt: at, Amount: kewei.Money(i * 10000), Profit: ptr(kewei.Money(i * 1000))}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := txs.Create(ctx, c.ID, &kewei.Transaction{OccurredAt: at.AddDate(-2, 0, 0), Amount: 1000000}); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, c)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func tierOf(t *testing.T, db *sqlstore.DB, id int64) kewei.Tier {
	t.Helper()
	c, err := sqlstore.NewCustomerService(db).FindCustomerByID(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Tier
}

func TestRunTiersAndKeepsHistory(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		owner := mustActor(t, db, "wangli", kewei.RoleConsultant)
		cs := mustCustomers(t, owner, db, 100)
		st := sqlstore.NewTierService(db)
		asOf := kewei.Date{Year: 2026, Month: 11, Day: 1}
		var steps []string
		run, err := tiering.Run(sys, st, tiering.Request{AsOf: asOf, Window: 12, Progress: func(s string, _, _ int) { steps = append(steps, s) }})
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != kewei.RunDone || run.Customers != 100 || run.Changed != 100 || len(steps) < 3 {
			t.Fatalf("run %+v, steps %v: want done, 100 customers, all 100 tiered the first time", run, steps)
		}
		// The default rule over 12 months: customer 100 is A, 96–99 B,
		// 81–95 C, the rest D; the 2024 purchases do not count.
		for i, want := range map[int]kewei.Tier{100: "A", 99: "B", 96: "B", 95: "C", 81: "C", 80: "D", 1: "D"} {
			if got := tierOf(t, db, cs[i-1].ID); got != want {
				t.Errorf("customer %d is %q, want %q", i, got, want)
			}
		}
		again, err := tiering.Run(sys, st, tiering.Request{AsOf: asOf, Window: 12})
		if err != nil || again.Changed != 0 {
			t.Fatalf("a second run over the same data changed %d (%v), want none", again.Changed, err)
		}
		// With all history the even customers get 10,000 yuan more and
		// climb: 100 stays A, 98 overtakes 99.
		if _, err := tiering.Run(sys, st, tiering.Request{AsOf: asOf, Window: 0}); err == nil {
			// the default rule keeps its own 12-month window: only RFM moves.
			if tierOf(t, db, cs[98].ID) != "B" {
				t.Error("the RFM window changed a tier the rule's window decides")
			}
		}
		hist, err := st.FindTierChanges(sys, kewei.TierChangeFilter{CustomerID: cs[99].ID})
		if err != nil || len(hist.Items) != 1 || hist.Items[0].From != "" || hist.Items[0].To != "A" || hist.Items[0].RunID != run.ID {
			t.Fatalf("history of customer 100: %+v (%v)", hist, err)
		}
		// A consultant sees the history of their own customers only.
		other := mustActor(t, db, "zhaoqiang", kewei.RoleConsultant)
		if h, _ := st.FindTierChanges(other, kewei.TierChangeFilter{}); len(h.Items) != 0 {
			t.Errorf("another consultant sees %d tier changes of customers not theirs", len(h.Items))
		}
		if _, err := tiering.Run(owner, st, tiering.Request{AsOf: asOf}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a consultant re-tiered: %v", err)
		}
	})
}

func TestOverrideWinsUntilItExpires(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		owner := mustActor(t, db, "wangli", kewei.RoleConsultant)
		cs := mustCustomers(t, owner, db, 20)
		st := sqlstore.NewTierService(db)
		o := &kewei.TierOverride{CustomerID: cs[0].ID, Tier: "A", Reason: "集团客户", ExpiresOn: kewei.DateOf(time.Now().AddDate(0, 1, 0))}
		if err := st.SetTierOverride(owner, o); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant set an override: %v", err)
		}
		if err := st.SetTierOverride(sys, &kewei.TierOverride{CustomerID: cs[0].ID, Tier: "A", Reason: "x"}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("an override without expiry: %v", err)
		}
		if err := st.SetTierOverride(sys, o); err != nil {
			t.Fatal(err)
		}
		if tierOf(t, db, cs[0].ID) != "A" {
			t.Fatal("the override did not move the tier at once")
		}
		today := kewei.DateOf(time.Now())
		if _, err := tiering.Run(sys, st, tiering.Request{AsOf: today}); err != nil {
			t.Fatal(err)
		}
		if tierOf(t, db, cs[0].ID) != "A" {
			t.Fatal("re-tiering overrode the override")
		}
		// After the expiry the rules decide again.
		later := kewei.DateOf(time.Now().AddDate(0, 2, 0))
		if _, err := tiering.Run(sys, st, tiering.Request{AsOf: later, Window: 0}); err != nil {
			t.Fatal(err)
		}
		if got := tierOf(t, db, cs[0].ID); got != "D" {
			t.Fatalf("after the override expired the customer is %q, want D", got)
		}
		list, err := st.FindTierOverrides(sys, cs[0].ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("overrides: %v %v", list, err)
		}
		if err := st.EndTierOverride(sys, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := st.EndTierOverride(sys, cs[0].ID); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Fatalf("lifting twice: %v", err)
		}
	})
}

func TestBandsAndReport(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		owner := mustActor(t, db, "wangli", kewei.RoleConsultant)
		cs := mustCustomers(t, owner, db, 10)
		holdings := sqlstore.NewRecords(db).Holdings
		for i, v := range []kewei.Money{15000000, 25000000, 35000000} {
			if err := holdings.Create(owner, cs[i].ID, &kewei.Holding{Product: "定期存款", Category: "存款", Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		st := sqlstore.NewTierService(db)
		rule := &kewei.TierRule{Name: "存款分层", Line: "存款", Method: kewei.TierBands, Metric: kewei.MetricBalance, Category: "存款", Enabled: true,
			Bands: []kewei.TierBand{{Min: 10000000, Tier: "C", Label: "优质"}, {Min: 20000000, Tier: "B", Label: "重点"}, {Min: 30000000, Tier: "A", Label: "VIP"}}}
		if err := st.CreateTierRule(owner, rule); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant made a rule: %v", err)
		}
		bad := *rule
		bad.Bands = []kewei.TierBand{{Min: 2, Tier: "A"}, {Min: 1, Tier: "B"}}
		if err := st.CreateTierRule(sys, &bad); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("bands out of order: %v", err)
		}
		if err := st.CreateTierRule(sys, rule); err != nil {
			t.Fatal(err)
		}
		if _, err := tiering.Run(sys, st, tiering.Request{AsOf: kewei.Date{Year: 2026, Month: 11, Day: 1}, Window: 12}); err != nil {
			t.Fatal(err)
		}
		for i, want := range []kewei.Tier{"C", "B", "A", "D"} {
			if got := tierOf(t, db, cs[i].ID); got != want {
				t.Errorf("customer with balance band %d is %q, want %q", i, got, want)
			}
		}
		rep, err := tiering.BuildReport(owner, st, kewei.ValueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Customers != 10 || rep.Revenue != 550000 || rep.Tiers[0].Customers != 1 || len(rep.Curve) != 101 {
			t.Fatalf("report %+v", rep)
		}
		if rep.Top20 <= 0.2 || rep.Top20 >= 1 {
			t.Errorf("top 20%% share %.3f", rep.Top20)
		}
		rfm := 0
		for _, s := range rep.Segments {
			rfm += s.Customers
		}
		if rfm != 10 {
			t.Errorf("segments cover %d customers, want 10", rfm)
		}
		other := mustActor(t, db, "zhaoqiang", kewei.RoleConsultant)
		if rep, _ := tiering.BuildReport(other, st, kewei.ValueFilter{}); rep.Customers != 0 {
			t.Errorf("another consultant's report counts %d customers not theirs", rep.Customers)
		}
		if rep, _ := tiering.BuildReport(sys, st, kewei.ValueFilter{Line: "存款"}); rep.Customers != 3 {
			t.Errorf("the 存款 line counts %d customers, want the 3 its rule tiered", rep.Customers)
		}
		m, err := tiering.BuildMigration(sys, st, kewei.Date{Year: 2020, Month: 1, Day: 1}, kewei.DateOf(time.Now()), kewei.ValueFilter{}, nil)
		if err != nil || m.Counts[4][0] != 1 || m.Counts[4][3] != 7 {
			t.Fatalf("migration %+v (%v): want every customer moving from untiered", m, err)
		}
	})
}

// Before any re-tiering, the report is empty, with lists rather than nulls.
func TestEmptyReport(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		rep, err := tiering.BuildReport(sys, sqlstore.NewTierService(db), kewei.ValueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(rep)
		for _, field := range []string{`"segments":[]`, `"regions":[]`} {
			if !strings.Contains(string(body), field) {
				t.Errorf("report %s: want %s", body, field)
			}
		}
	})
}
