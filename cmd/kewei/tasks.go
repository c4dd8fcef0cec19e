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

func runTasks(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return errUsage
	}
	fs := newFlags(e, "tasks run")
	nowFlag := fs.String("now", "", "plan as if it were this time (RFC 3339, or YYYY-MM-DD for that day's start); default now")
	cfg, pos, err := parseArgs(e, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errUsage
	}
	loc := cfg.Location()
	now := time.Now()
	if *nowFlag != "" {
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			if now, err = time.ParseInLocation(time.DateOnly, *nowFlag, loc); err != nil {
				return fmt.Errorf("--now: %q is neither RFC 3339 (2026-11-23T08:00:00+08:00) nor a day (2026-11-23)", *nowFlag)
			}
		}
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc, EscalateAfter: cfg.Duration("escalate-after"),
		Pool: sqlstore.NewPoolService(db)}
	run, err := svc.RunTasks(system(ctx), now)
	if err != nil {
		return err
	}
	if err := db.Optimize(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d customers looked at as of %s: %d new tasks, %d planned before, %d left out for a refused channel, %d overdue escalated, %d returned to the pool, in %s\n",
		run.Customers, now.In(loc).Format("2006-01-02 15:04"), run.Planned, run.Existing, run.NoConsent, run.Escalated, run.Pooled, run.Took)
	return nil
}

func runPlaybook(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	fs := newFlags(e, "playbook "+args[0])
	tmpl := fs.String("template", "", "the built-in template: "+strings.Join(playbook.Templates, ", "))
	enable := fs.Bool("enable", false, "enable the playbook at once")
	cfg, pos, err := parseArgs(e, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errUsage
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: cfg.Location()}
	switch args[0] {
	case "add":
		pb := &kewei.Playbook{Template: *tmpl, Enabled: *enable}
		if *tmpl == "" {
			return fmt.Errorf("--template: name one of %s", strings.Join(playbook.Templates, ", "))
		}
		if err := svc.CreatePlaybook(system(ctx), pb); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "playbook %d %q added with %d steps (enabled: %v)\n", pb.ID, pb.Name, len(pb.Steps), pb.Enabled)
	case "list":
		pbs, err := svc.FindPlaybooks(system(ctx))
		if err != nil {
			return err
		}
		for _, pb := range pbs {
			fmt.Fprintf(e.stdout, "%d\t%s\t%d steps\tenabled: %v\tversion %d\n", pb.ID, pb.Name, len(pb.Steps), pb.Enabled, pb.Version)
		}
	default:
		return errUsage
	}
	return nil
}
