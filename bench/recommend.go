package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
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
	products := sqlstore.NewProductService(db)
	due, err := dueBench(ctx, o.db, raw, products)
	if err != nil {
		return err
	}
	svc := &recommend.Service{Store: sqlstore.NewPurchaseService(db), Visible: func(context.Context, int64) error { return nil },
		OneOffs: products.OneOffsOf}
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
	up := &recommend.Upgrades{Recommender: svc, Store: sqlstore.NewUpgradeStore(db), Now: time.Now}
	upP50, err := p50Of(20, func() error {
		_, err := up.UpgradeCandidates(sys, kewei.UpgradeFilter{Limit: 100})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("upgrade candidates (100, every tier): p50 %s\n", upP50)

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
	fmt.Fprintf(&b, "| ten new-product recommendations for one customer, without their one-offs (a catalogue of %d products), p50 / p99 of 1,000 | %s / %s | – | – | ≤ 20 ms: %s |\n",
		due.products, p50.Round(time.Microsecond), p99.Round(time.Microsecond), verdict(p99 <= 20*time.Millisecond))
	fmt.Fprintf(&b, "| every holding's replacement or renewal date (%d holdings, %d written) | %s | %s (bare read and update) | %.2f× | none |\n",
		due.holdings, due.changed, due.refresh.Round(10*time.Millisecond), due.bare.Round(10*time.Millisecond),
		due.refresh.Seconds()/max(due.bare.Seconds(), 0.001))
	fmt.Fprintf(&b, "| who is due in the next 30 days, first page of 100 (all customers), p50 of 20 | %s | – | – | none |\n", due.list.Round(time.Microsecond))
	fmt.Fprintf(&b, "| the 100 customers closest to the next tier, every tier, with what to offer, p50 of 20 | %s | – | – | none |\n", upP50.Round(time.Microsecond))
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}

type dueFigures struct {
	products, holdings, changed int
	refresh, bare, list         time.Duration
}

// dueBench loads the demo catalogue, clears every due date and times
// computing them all again, beside a bare read of the holdings and a bare
// update of the same rows; then the list of who is due.
func dueBench(ctx context.Context, dsn string, raw *sql.DB, products *sqlstore.ProductService) (*dueFigures, error) {
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	cat := demo.Catalogue()
	if err := products.PutCatalogue(sys, cat); err != nil {
		return nil, err
	}
	f := &dueFigures{products: len(cat)}
	t0 := time.Now()
	rows, err := raw.QueryContext(ctx, `SELECT id, customer_id, product, category, status, acquired_on, renewal_due FROM holdings ORDER BY customer_id, id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		f.holdings++
	}
	rows.Close()
	f.bare = time.Since(t0)
	w, err := openWritable(dsn)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	t0 = time.Now()
	if _, err := w.ExecContext(ctx, `UPDATE holdings SET due_on = renewal_due, due_source = 'own_date'`); err != nil {
		return nil, err
	}
	f.bare += time.Since(t0)
	if _, err := w.ExecContext(ctx, `UPDATE holdings SET due_on = NULL, due_source = ''`); err != nil {
		return nil, err
	}
	t0 = time.Now()
	if f.changed, err = products.RefreshDue(sys); err != nil {
		return nil, err
	}
	f.refresh = time.Since(t0)
	fmt.Printf("due dates of %d holdings in %s (bare %s)\n", f.holdings, f.refresh.Round(time.Millisecond), f.bare.Round(time.Millisecond))
	today := kewei.Today(time.Now(), nil)
	f.list, err = p50Of(20, func() error {
		_, err := products.FindDue(sys, kewei.DueFilter{Within: 30, Limit: 100, Today: today})
		return err
	})
	fmt.Printf("who is due in 30 days: p50 %s\n", f.list)
	return f, err
}

// p50Of runs fn n times and returns the median time.
func p50Of(n int, fn func() error) (time.Duration, error) {
	took := make([]time.Duration, n)
	for i := range took {
		t := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		took[i] = time.Since(t)
	}
	slices.Sort(took)
	return took[n/2], nil
}
