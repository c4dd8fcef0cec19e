package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/recommend"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// recommendBench trains the recommender on every purchase in the
// database and times recommendations for a thousand random customers,
// beside a bare read of the same transaction lines.
func recommendBench(ctx context.Context, o options) error {
	started := time.Now()
	db, err := sqlstore.Open(ctx, o.db, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := openRaw(o.db)
	if err != nil {
		return err
	}
	defer raw.Close()
	t0 := time.Now()
	rows, err := raw.QueryContext(ctx, `SELECT customer_id, product, occurred_at FROM transactions WHERE product <> ''`)
	if err != nil {
		return err
	}
	var ids []int64
	lines := 0
	for rows.Next() {
		var id, at int64
		var p string
		if err := rows.Scan(&id, &p, &at); err != nil {
			return err
		}
		if lines%10 == 0 {
			ids = append(ids, id)
		}
		lines++
	}
	rows.Close()
	bare := time.Since(t0)
	fmt.Printf("bare read of %d lines: %s\n", lines, bare.Round(time.Millisecond))
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	svc := &recommend.Service{Store: sqlstore.NewPurchaseService(db), Visible: func(context.Context, int64) error { return nil }}
	t0 = time.Now()
	run, err := svc.TrainRecommender(sys)
	if err != nil {
		return err
	}
	train := time.Since(t0)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("trained on %d customers, %d products, %d lines in %s (heap %d MB)\n", run.Customers, run.Products, run.Lines,
		train.Round(time.Millisecond), ms.HeapAlloc>>20)
	rng := rand.New(rand.NewPCG(1, 2))
	var took []time.Duration
	for range 1000 {
		id := ids[rng.IntN(len(ids))]
		t := time.Now()
		if _, err := svc.Recommend(sys, id, 10, true); err != nil {
			return err
		}
		took = append(took, time.Since(t))
	}
	slices.Sort(took)
	p50, p99 := took[len(took)/2], took[len(took)*99/100]
	fmt.Printf("recommendations for one customer: p50 %s p99 %s\n", p50, p99)

	d, _ := sqlstore.ParseDSN(o.db)
	start, end := "<!-- bench:recommend-"+d.Driver+":start -->", "<!-- bench:recommend-"+d.Driver+":end -->"
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Recommender, %s\n\n", start, name)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s, on %d transaction lines of %d customers (%d products). Command: `go run ./bench --recommend --db %s`.\n\n",
		started.Format("2006-01-02"), machine(), commit(), run.Lines, run.Customers, run.Products, redact(o.db))
	fmt.Fprintf(&b, "| work | time | bare read of the same lines | Kewei ÷ bare | goal |\n|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| training on every purchase (heap afterwards %d MB) | %s | %s | %.2f× | ≤ 60 s: %s |\n", ms.HeapAlloc>>20,
		train.Round(10*time.Millisecond), bare.Round(10*time.Millisecond), train.Seconds()/max(bare.Seconds(), 0.001), verdict(train <= time.Minute))
	fmt.Fprintf(&b, "| ten new-product recommendations for one customer, p50 / p99 of 1,000 | %s / %s | – | – | ≤ 20 ms: %s |\n",
		p50.Round(time.Microsecond), p99.Round(time.Microsecond), verdict(p99 <= 20*time.Millisecond))
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}
