package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func generate(t *testing.T, opt Options) []*kewei.Batch {
	t.Helper()
	var next int64
	opt.NewID = func() int64 { next++; return next }
	var out []*kewei.Batch
	if err := Generate(context.Background(), opt, func(b *kewei.Batch) error {
		out = append(out, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsReproducibleAndValid(t *testing.T) {
	opt := Options{Customers: 3000, Seed: 42, AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Owners: []int64{7, 8, 9}, BatchSize: 1000}
	a, b := generate(t, opt), generate(t, opt)
	if len(a) != 3 {
		t.Fatalf("%d batches, want 3", len(a))
	}
	var customers, txs int
	stages := map[kewei.Stage]int{}
	for i := range a {
		if len(a[i].Customers) != len(b[i].Customers) || len(a[i].Transactions) != len(b[i].Transactions) {
			t.Fatal("the same seed gave different data")
		}
		for j, c := range a[i].Customers {
			if c.Name != b[i].Customers[j].Name || c.PrimaryPhone() != b[i].Customers[j].PrimaryPhone() {
				t.Fatalf("customer %d differs: %s / %s", j, c.Name, b[i].Customers[j].Name)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("customer %s is invalid: %v", c.Name, err)
			}
			if c.CreatedAt.After(opt.AsOf) {
				t.Fatalf("customer %s created after as-of", c.Name)
			}
			stages[c.Stage]++
		}
		for _, tr := range a[i].Transactions {
			if err := tr.Validate(); err != nil || tr.OccurredAt.After(opt.AsOf) {
				t.Fatalf("transaction %+v: %v", tr, err)
			}
		}
		for _, in := range a[i].Interactions {
			if err := in.Validate(); err != nil {
				t.Fatalf("interaction %+v: %v", in, err)
			}
		}
		for _, h := range a[i].Holdings {
			if err := h.Validate(); err != nil {
				t.Fatalf("holding %+v: %v", h, err)
			}
		}
		customers += len(a[i].Customers)
		txs += len(a[i].Transactions)
	}
	if customers != 3000 || txs != 30000 {
		t.Fatalf("%d customers, %d transactions; want 3000 and 30000", customers, txs)
	}
	if lost := float64(stages[kewei.StageLost]) / 3000; lost < 0.08 || lost > 0.16 {
		t.Errorf("share of lost customers %.2f", lost)
	}
}

// TestSpendIsPareto checks that spend concentrates as a Pareto curve does:
// the top fifth of customers holds most of the revenue.
func TestSpendIsPareto(t *testing.T) {
	batches := generate(t, Options{Customers: 5000, Seed: 1, AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	spend := map[int64]float64{}
	for _, b := range batches {
		for _, tr := range b.Transactions {
			spend[tr.CustomerID] += tr.Amount.Float()
		}
	}
	var all []float64
	total := 0.0
	for _, v := range spend {
		all = append(all, v)
		total += v
	}
	slices.Sort(all)
	slices.Reverse(all)
	top := 0.0
	for _, v := range all[:len(all)/5] {
		top += v
	}
	if share := top / total; share < 0.6 || share > 0.92 {
		t.Fatalf("top 20%% of buyers hold %.2f of revenue; want a Pareto-like 0.6–0.92", share)
	}
}
