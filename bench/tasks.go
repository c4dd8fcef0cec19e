package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// tasksBench times the daily task planning over the customers already in
// the database with every built-in template enabled — the first run, which
// plans every customer's overdue keep-in-touch tasks, and the next day's —
// beside a bare read of the same customer rows.
func tasksBench(ctx context.Context, o options) error {
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
	var customers int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers`).Scan(&customers); err != nil {
		return err
	}
	bareStart := time.Now()
	rows, err := raw.QueryContext(ctx, `SELECT id, owner_id, tier, stage, intent, created_at, last_contact_at, birthday, family FROM customers ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, created, last int64
		var birthday *string
		var ownerID *int64
		var tier, stage, intent, family string
		if err := rows.Scan(&id, &ownerID, &tier, &stage, &intent, &created, &last, &birthday, &family); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	bare := time.Since(bareStart)
	fmt.Printf("bare read of %d customers: %s\n", customers, bare.Round(time.Millisecond))

	sys := kewei.WithActor(ctx, kewei.SystemActor)
	store := sqlstore.NewPlaybookService(db)
	svc := &playbook.Service{PlaybookStore: store, Location: time.UTC}
	existing, err := store.FindPlaybooks(sys)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		for _, k := range playbook.Templates {
			if err := svc.CreatePlaybook(sys, &kewei.Playbook{Template: k, Enabled: true}); err != nil {
				return err
			}
		}
	}
	if err := clear(ctx, o.db, "tasks"); err != nil {
		return err
	}
	day := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	var runs []taskRun
	for i, label := range []string{"first run", "next day"} {
		t0 := time.Now()
		run, err := svc.RunTasks(sys, day.AddDate(0, 0, i))
		if err != nil {
			return err
		}
		r := taskRun{label: label, took: time.Since(t0), run: run}
		fmt.Printf("%s: %s, %d new tasks, %d planned before, %d refused\n", label, r.took.Round(time.Millisecond), run.Planned, run.Existing, run.NoConsent)
		runs = append(runs, r)
	}
	return writeTasksReport(o, customers, bare, runs, started)
}

type taskRun struct {
	label string
	took  time.Duration
	run   *kewei.TaskRun
}

func writeTasksReport(o options, customers int, bare time.Duration, runs []taskRun, started time.Time) error {
	d, _ := sqlstore.ParseDSN(o.db)
	start, end := "<!-- bench:tasks-"+d.Driver+":start -->", "<!-- bench:tasks-"+d.Driver+":end -->"
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Daily task planning, %s\n\n", start, name)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s, on %d customers with the four built-in playbooks enabled. Command: `go run ./bench --tasks --db %s`.\n\n",
		started.Format("2006-01-02"), machine(), commit(), customers, redact(o.db))
	fmt.Fprintf(&b, "| run | time | new tasks | already planned | bare read of the customers | Kewei ÷ bare | goal |\n|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %.1f× | ≤ 30 s: %s |\n", r.label, r.took.Round(10*time.Millisecond), r.run.Planned,
			r.run.Existing, bare.Round(10*time.Millisecond), r.took.Seconds()/max(bare.Seconds(), 0.001), verdict(r.took <= 30*time.Second))
	}
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}
