package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
	"github.com/kewei-crm/kewei/internal/value"
)

// tierResult is one timed re-tiering.
type tierResult struct {
	label   string
	took    time.Duration
	changed int
}

// tierBench times re-tiering (Pareto + RFM) of the customers already in
// the database — a first run, which writes every customer's value, and a
// second, nightly one — beside the bare GROUP BY that sums the same
// transactions, and a BG/NBD fit of 100,000 simulated customers.
func tierBench(ctx context.Context, o options) error {
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
	var customers, txs int
	var last int64
	if err := raw.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers), COUNT(*), COALESCE(MAX(occurred_at), 0) FROM transactions`).
		Scan(&customers, &txs, &last); err != nil {
		return err
	}
	if customers == 0 || txs == 0 {
		return fmt.Errorf("the database holds no customers or transactions: run go run ./bench --import (or kewei demo) on it first")
	}
	asOf := kewei.DateOf(time.UnixMilli(last).UTC())
	until := time.Date(asOf.Year, asOf.Month, asOf.Day+1, 0, 0, 0, 0, time.UTC)
	fmt.Printf("%d customers, %d transactions, as of %s\n", customers, txs, asOf)

	// The bare limit: the same aggregate, read to the end, no Kewei.
	bareStart := time.Now()
	q := `SELECT customer_id, SUM(amount), SUM(COALESCE(profit, 0)), COUNT(*), MAX(occurred_at)
		FROM transactions WHERE occurred_at < ? AND occurred_at >= ? GROUP BY customer_id ORDER BY customer_id`
	if d, _ := sqlstore.ParseDSN(o.db); d.Driver == "postgres" {
		q = strings.NewReplacer("< ?", "< $1", ">= ?", ">= $2").Replace(q)
	}
	rows, err := raw.QueryContext(ctx, q,
		until.UnixMilli(), until.AddDate(0, -12, 0).UnixMilli())
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		var id, revenue, profit, count, last int64
		if err := rows.Scan(&id, &revenue, &profit, &count, &last); err != nil {
			return err
		}
		n++
	}
	rows.Close()
	bare := time.Since(bareStart)
	fmt.Printf("bare GROUP BY: %d customers in %s\n", n, bare.Round(time.Millisecond))

	sys := kewei.WithActor(ctx, kewei.SystemActor)
	st := sqlstore.NewTierService(db)
	if err := clearValues(ctx, o.db); err != nil {
		return err
	}
	var results []tierResult
	for _, label := range []string{"first run (every customer's value written)", "nightly run (nothing moved)"} {
		t0 := time.Now()
		step := func(name string, done, total int) {
			fmt.Printf("  %8s  %s %d/%d\n", time.Since(t0).Round(time.Millisecond), name, done, total)
		}
		run, err := tiering.Run(sys, st, tiering.Request{AsOf: asOf, Window: 12, Location: time.UTC, Progress: step})
		if err != nil {
			return err
		}
		r := tierResult{label: label, took: time.Since(t0), changed: run.Changed}
		fmt.Printf("%s: %s, %d changed tier\n", label, r.took.Round(time.Millisecond), r.changed)
		results = append(results, r)
	}
	sim := value.Simulate(value.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, 100_000, 78, 1)
	t0 := time.Now()
	fit, err := value.FitBGNBD(sim)
	if err != nil {
		return err
	}
	fitTook := time.Since(t0)
	fmt.Printf("BG/NBD fit of 100000 customers: %s (r %.3f, alpha %.3f, a %.3f, b %.3f)\n", fitTook.Round(time.Millisecond), fit.R, fit.Alpha, fit.A, fit.B)
	return writeTierReport(o, customers, txs, bare, results, fitTook, fit, started)
}

func writeTierReport(o options, customers, txs int, bare time.Duration, runs []tierResult, fitTook time.Duration, fit value.BGNBD, started time.Time) error {
	d, _ := sqlstore.ParseDSN(o.db)
	start, end := "<!-- bench:tier-"+d.Driver+":start -->", "<!-- bench:tier-"+d.Driver+":end -->"
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Re-tiering (Pareto + RFM), %s\n\n", start, name)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s, on %d customers and %d transactions. Command: `go run ./bench --tier --db %s`.\n\n",
		started.Format("2006-01-02"), machine(), commit(), customers, txs, redact(o.db))
	fmt.Fprintf(&b, "| work | time | bare GROUP BY of the same transactions | Kewei ÷ bare | goal |\n|---|---|---|---|---|\n")
	for _, r := range runs {
		fmt.Fprintf(&b, "| %s, %d changed tier | %s | %s | %.2f× | ≤ 5 s: %s |\n", r.label, r.changed, r.took.Round(10*time.Millisecond),
			bare.Round(10*time.Millisecond), r.took.Seconds()/max(bare.Seconds(), 0.001), verdict(r.took <= 5*time.Second))
	}
	fmt.Fprintf(&b, "| BG/NBD fit, 100,000 simulated customers (r 0.25, α 4, a 0.8, b 2.5 → %.3f, %.3f, %.3f, %.3f) | %s | – | – | ≤ 10 s: %s |\n",
		fit.R, fit.Alpha, fit.A, fit.B, fitTook.Round(10*time.Millisecond), verdict(fitTook <= 10*time.Second))
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}

// clearValues forgets the stored values, so that the first run writes every
// customer's.
func clearValues(ctx context.Context, dsn string) error { return clear(ctx, dsn, "customer_values") }

// clear empties a table through a writable connection of its own.
func clear(ctx context.Context, dsn, table string) error {
	w, err := openWritable(dsn)
	if err != nil {
		return err
	}
	defer w.Close()
	_, err = w.ExecContext(ctx, `DELETE FROM `+table)
	return err
}

// openWritable opens a plain pool that may write, unlike openRaw's.
func openWritable(dsn string) (*sql.DB, error) {
	d, err := sqlstore.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if d.Driver == "sqlite" {
		return sql.Open("sqlite", "file:"+d.Path+"?_pragma=busy_timeout(10000)")
	}
	return sql.Open("pgx", d.URL)
}
