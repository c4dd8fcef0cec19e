package sqlstore_test

import (
	"math"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/tiering"
)

// TestChurnDataHasNoLeakage builds churn features at a cutoff, then adds
// records dated after it — a purchase, a call, a complaint — and checks
// that no feature moved while the label did.
func TestChurnDataHasNoLeakage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		db.Now = func() time.Time { return at(1, 2) }
		defer func() { db.Now = time.Now }()
		recs, churn := sqlstore.NewRecords(db), sqlstore.NewChurnService(db)
		stays := mustCustomer(t, sys, db, &kewei.Customer{Name: "留下", Source: kewei.SourceStore, Stage: kewei.StageCustomer})
		leaves := mustCustomer(t, sys, db, &kewei.Customer{Name: "离开", Source: kewei.SourceStore, Stage: kewei.StageCustomer})
		never := mustCustomer(t, sys, db, &kewei.Customer{Name: "未买", Stage: kewei.StageCustomer})
		for _, c := range []*kewei.Customer{stays, leaves} {
			for _, d := range []int{5, 20} {
				if err := recs.Transactions.Create(sys, c.ID, &kewei.Transaction{OccurredAt: at(2, d), Amount: 100000}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := recs.Interactions.Create(sys, stays.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访",
			OccurredAt: at(3, 1)}); err != nil {
			t.Fatal(err)
		}
		cutoff := at(4, 1)
		req := kewei.ChurnDataRequest{AsOf: cutoff, HorizonDays: 90, Label: kewei.ChurnLabel{Inactive: true, Stage: true}}
		before, err := churn.ChurnData(sys, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(before.IDs) != 2 || before.IDs[0] != stays.ID || before.IDs[1] != leaves.ID {
			t.Fatalf("population %v, want the two buyers (not %d, who never bought)", before.IDs, never.ID)
		}
		if before.Numeric["purchases"][0] != 2 || before.Numeric["spend"][0] != 2000 ||
			math.Abs(before.Numeric["days_since_purchase"][0]-40) > 0.01 || before.Numeric["days_since_contact"][0] != 31 ||
			!math.IsNaN(before.Numeric["days_since_contact"][1]) {
			t.Errorf("features %v", before.Numeric)
		}
		// Both bought nothing in the horizon yet: both lost.
		if before.Label[0] != 1 || before.Label[1] != 1 {
			t.Errorf("labels %v, want [1 1]", before.Label)
		}
		// After the cutoff: the first buys again, is called and complains.
		db.Now = func() time.Time { return at(5, 1) }
		if err := recs.Transactions.Create(sys, stays.ID, &kewei.Transaction{OccurredAt: at(4, 15), Amount: 500000}); err != nil {
			t.Fatal(err)
		}
		if err := recs.Interactions.Create(sys, stays.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "又回访",
			OccurredAt: at(4, 20)}); err != nil {
			t.Fatal(err)
		}
		after, err := churn.ChurnData(sys, req)
		if err != nil {
			t.Fatal(err)
		}
		for name, col := range before.Numeric {
			for i, v := range col {
				if w := after.Numeric[name][i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
					t.Errorf("%s of row %d moved from %v to %v after records dated after the cutoff", name, i, v, w)
				}
			}
		}
		for name, col := range before.Text {
			for i, v := range col {
				if after.Text[name][i] != v {
					t.Errorf("%s of row %d moved from %q to %q", name, i, v, after.Text[name][i])
				}
			}
		}
		if after.Label[0] != 0 || after.Label[1] != 1 {
			t.Errorf("labels %v, want [0 1]: the first bought within the horizon", after.Label)
		}
		// A line whose customers buy twice a year: five months without a
		// purchase is not yet lost, so the one who left in the horizon
		// above (last bought in February) still counts as staying.
		// (A small buyer, new since the cutoff, takes the bottom tier, so
		// both of the others are tiered by the line's rule.)
		small := mustCustomer(t, sys, db, &kewei.Customer{Name: "小额", Stage: kewei.StageCustomer})
		if err := recs.Transactions.Create(sys, small.ID, &kewei.Transaction{OccurredAt: at(4, 20), Amount: 100}); err != nil {
			t.Fatal(err)
		}
		tiers := sqlstore.NewTierService(db)
		rule := &kewei.TierRule{Name: "售后", Line: "售后", Enabled: true, Method: kewei.TierPareto, Metric: kewei.MetricRevenue, WindowMonths: 0,
			ShareA: 0.3, ShareB: 0.5, ShareC: 0.7}
		if err := tiers.CreateTierRule(sys, rule); err != nil {
			t.Fatal(err)
		}
		if _, err := tiering.Run(sys, tiers, tiering.Request{Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
		lines := req
		lines.Label.Lines = map[string]int{"售后": 150}
		byLine, err := churn.ChurnData(sys, lines)
		if err != nil {
			t.Fatal(err)
		}
		if byLine.Label[0] != 0 || byLine.Label[1] != 0 {
			t.Errorf("labels with 150 days for the line %v, want [0 0]", byLine.Label)
		}
		// Scoring asks for no label and may name the customers.
		one, err := churn.ChurnData(sys, kewei.ChurnDataRequest{AsOf: at(5, 1), Customers: []int64{leaves.ID}})
		if err != nil || len(one.IDs) != 1 || one.Label != nil {
			t.Fatalf("one customer's features: %+v %v", one, err)
		}
		if _, err := churn.ChurnData(kewei.WithActor(sys, &kewei.Actor{UserID: 5, Role: kewei.RoleConsultant}), req); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a consultant read the churn data: %v", err)
		}
	})
}
