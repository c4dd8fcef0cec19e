package recommend_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/tiering"
	"github.com/kewei-crm/kewei/internal/wire"
)

// TestCatalogueInTheProduct runs the catalogue through the wired product:
// a held one-off is never recommended, a holding coming up for replacement
// gets a task whose talking points name what to offer, and the upgrade
// paths and candidates come from the tiers.
func TestCatalogueInTheProduct(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := kewei.WithActor(context.Background(), kewei.SystemActor)
		now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		defer func() { db.Now = time.Now }()
		svc := wire.Services(db, time.Hour, time.UTC)
		for _, p := range []*kewei.Product{
			{Code: "CAR", Name: "轿车", Category: "car", Purchase: kewei.PurchaseOnce, LifeMonths: 72},
			{Code: "WAR", Name: "延保", Purchase: kewei.PurchaseOnce},
			{Code: "OIL", Name: "机油", Purchase: kewei.PurchaseRepeat},
			{Code: "VIP", Name: "尊享保养", Purchase: kewei.PurchaseRepeat},
		} {
			if err := svc.Products.CreateProduct(sys, p); err != nil {
				t.Fatal(err)
			}
		}
		// Ten customers: the richer ones bought the car, the warranty and
		// the premium service; all bought oil. Revenue ranks them.
		var ids []int64
		for i := range 10 {
			c := &kewei.Customer{Name: fmt.Sprintf("客户%d", i), Stage: kewei.StageCustomer}
			if err := svc.Customers.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			basket := []string{"OIL"}
			switch {
			case i < 2:
				basket = append(basket, "CAR", "WAR", "VIP")
			case i < 5:
				basket = append(basket, "CAR")
			}
			for k, p := range basket {
				tr := &kewei.Transaction{OccurredAt: now.AddDate(0, -2, k), Amount: kewei.Money((10 - i) * 100000), Product: p}
				if err := svc.Records.Transactions.Create(sys, c.ID, tr); err != nil {
					t.Fatal(err)
				}
			}
		}
		// 客户3 holds the car delivered six years and sixty days ago less
		// a few days: replacement is due in 57 days.
		delivered := kewei.DateOf(now).AddMonths(-72).AddDays(57)
		if err := svc.Records.Holdings.Create(sys, ids[3], &kewei.Holding{Product: "CAR", Category: "car", AcquiredOn: delivered}); err != nil {
			t.Fatal(err)
		}
		rule := &kewei.TierRule{Name: "收入", Method: kewei.TierPareto, Metric: kewei.MetricRevenue, WindowMonths: 12,
			ShareA: 0.2, ShareB: 0.5, ShareC: 0.8, Enabled: true}
		if err := svc.Tiers.CreateTierRule(sys, rule); err != nil {
			t.Fatal(err)
		}
		if _, err := tiering.Run(sys, sqlstore.NewTierService(db), tiering.Request{Window: 12, Location: time.UTC,
			AsOf: kewei.DateOf(now)}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Recommendations.TrainRecommender(sys); err != nil {
			t.Fatal(err)
		}

		// 客户3 bought the car and holds it: never offered again, though
		// half the customers bought it. 客户7 never did: offered.
		names := func(id int64) []string {
			recs, err := svc.Recommendations.Recommend(sys, id, 10, false)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range recs {
				out = append(out, r.Product)
			}
			return out
		}
		if got := names(ids[3]); slices.Contains(got, "CAR") || !slices.Contains(got, "WAR") {
			t.Errorf("客户3 (holds the car): %v", got)
		}
		if got := names(ids[7]); !slices.Contains(got, "CAR") {
			t.Errorf("客户7 (no car): %v", got)
		}

		// The replacement step plans a call sixty days before the due
		// date, naming what to offer.
		due, err := svc.Due.FindDue(sys, kewei.DueFilter{Within: 60, Today: kewei.DateOf(now)})
		if err != nil || len(due.Items) != 1 || due.Items[0].CustomerID != ids[3] || due.Items[0].InDays != 57 {
			t.Fatalf("due: %+v %v", due, err)
		}
		pb := &kewei.Playbook{Template: "dealership_delivery", Enabled: true}
		if err := svc.Playbooks.CreatePlaybook(sys, pb); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Playbooks.RunTasks(sys, now); err != nil {
			t.Fatal(err)
		}
		tasks, err := svc.Playbooks.FindTasks(sys, kewei.TaskFilter{CustomerID: ids[3]})
		if err != nil {
			t.Fatal(err)
		}
		var points string
		for _, tk := range tasks.Items {
			if tk.StepKey == "replacement" {
				points = tk.TalkingPoints
				if got := tk.Anchor.String(); got != due.Items[0].Due.String() {
					t.Errorf("anchor %s, want the due date %s", got, due.Items[0].Due)
				}
			}
		}
		if !strings.Contains(points, "可推荐：") || !strings.Contains(points, "WAR（买过 CAR 的客户") || strings.Contains(points, "、CAR（") ||
			strings.Contains(points, "{推荐}") {
			t.Errorf("replacement talking points: %q", points)
		}

		// Upgrade paths: B customers (客户2–4) lack what A (客户0–1) buy.
		paths, err := svc.Upgrades.UpgradePaths(sys)
		if err != nil || len(paths) != 3 {
			t.Fatalf("paths: %v %v", paths, err)
		}
		var b kewei.UpgradePath
		for _, p := range paths {
			if p.Tier == kewei.TierB {
				b = p
			}
		}
		if b.Customers != 3 || b.NextCustomers != 2 || len(b.Products) != 2 || b.Products[0].NextShare != 1 || b.Products[0].Share != 0 {
			t.Fatalf("B → A: %+v", b)
		}
		cands, err := svc.Upgrades.UpgradeCandidates(sys, kewei.UpgradeFilter{Tier: kewei.TierB})
		if err != nil || len(cands) != 3 || cands[0].CustomerID != ids[2] || cands[0].Next != kewei.TierA ||
			!slices.Equal(cands[0].Missing, []string{"VIP", "WAR"}) || cands[0].Progress <= cands[1].Progress {
			t.Fatalf("candidates: %+v %v", cands, err)
		}
		res, err := svc.Upgrades.CreateUpgradeTasks(sys, kewei.UpgradeTasks{CustomerIDs: []int64{ids[2], ids[3]}})
		if err != nil || res.Created != 2 {
			t.Fatalf("upgrade tasks: %+v %v", res, err)
		}
		if res, _ := svc.Upgrades.CreateUpgradeTasks(sys, kewei.UpgradeTasks{CustomerIDs: []int64{ids[2]}}); res.Created != 0 {
			t.Errorf("asked twice on a day: %+v", res)
		}
		tasks, _ = svc.Playbooks.FindTasks(sys, kewei.TaskFilter{CustomerID: ids[2]})
		if len(tasks.Items) == 0 || !strings.Contains(tasks.Items[0].TalkingPoints, "VIP、WAR") {
			t.Errorf("upgrade task: %+v", tasks.Items)
		}
	})
}
