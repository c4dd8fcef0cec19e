package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/jobs"
	"github.com/kewei-crm/kewei/internal/monitor"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/retention"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
)

// startJobs runs the scheduled work on River: the day's tasks at
// KEWEI_TASKS_AT (and at start), reminders every minute when a webhook or
// a mail server is set, re-tiering at KEWEI_RETIER_AT.
func startJobs(ctx context.Context, cfg *Config, db *sqlstore.DB, svc api.Services, log *slog.Logger, mon *monitor.Monitor) (*jobs.Runner, error) {
	loc := cfg.Location()
	// The API's planning runs escalate as the daily one does.
	pb, ok := svc.Playbooks.(*playbook.Service)
	if !ok {
		pb = &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc, Pool: sqlstore.NewPoolService(db)}
	}
	pb.EscalateAfter = cfg.Duration("escalate-after")
	work := jobs.Work{
		PlanTasks: func(ctx context.Context, now time.Time) error {
			// Replacement steps read the holdings' due dates: bring them
			// up to date first (they follow each change; this is the net).
			if svc.Due != nil {
				n, err := svc.Due.RefreshDue(ctx)
				if err != nil {
					return err
				}
				log.Info("due dates refreshed", "changed", n)
			}
			run, err := pb.RunTasks(ctx, now)
			if err == nil {
				log.Info("tasks planned", "customers", run.Customers, "new", run.Planned, "escalated", run.Escalated,
					"pooled", run.Pooled, "took", run.Took)
			}
			return err
		},
		Retier: func(ctx context.Context) error {
			run, err := tiering.Run(ctx, sqlstore.NewTierService(db), tiering.Request{Window: 12, Location: loc})
			if err == nil {
				log.Info("re-tiered", "run", run.ID, "customers", run.Customers, "changed", run.Changed)
				if mon != nil {
					mon.Scored("tiers", run.Customers)
				}
			}
			return err
		},
	}
	if svc.Complaints != nil {
		work.Escalate = func(ctx context.Context, now time.Time) error {
			n, err := svc.Complaints.EscalateComplaints(ctx, now)
			if n > 0 {
				log.Info("complaints escalated", "count", n)
			}
			return err
		}
	}
	if ch, ok := svc.Churn.(*retention.Service); ok {
		every := cfg.Duration("churn-retrain")
		work.Churn = func(ctx context.Context, now time.Time) error {
			did, err := ch.Nightly(ctx, now, every)
			if did != "" {
				log.Info("churn scored", "did", did)
			}
			return err
		}
	}
	if svc.Recommendations != nil {
		work.Recommend = func(ctx context.Context) error {
			run, err := svc.Recommendations.TrainRecommender(ctx)
			if err == nil {
				log.Info("recommender trained", "customers", run.Customers, "products", run.Products, "took", run.Took)
			}
			return err
		}
	}
	rem, err := reminders(cfg, db, log)
	if err != nil {
		return nil, err
	}
	if rem != nil {
		work.Remind = func(ctx context.Context, now time.Time) error {
			if _, err := rem.Plan(ctx, now); err != nil {
				return err
			}
			_, err := rem.Send(ctx, now)
			return err
		}
	}
	// The daily runs write many rows; the planner's statistics follow.
	for _, fn := range []*func(context.Context, time.Time) error{&work.PlanTasks, &work.Churn} {
		if f := *fn; f != nil {
			*fn = func(ctx context.Context, now time.Time) error {
				err := f(ctx, now)
				if oerr := db.Optimize(ctx); oerr != nil {
					log.Warn("refreshing the planner's statistics", "err", oerr)
				}
				return err
			}
		}
	}
	if f := work.Retier; f != nil {
		work.Retier = func(ctx context.Context) error {
			err := f(ctx)
			if oerr := db.Optimize(ctx); oerr != nil {
				log.Warn("refreshing the planner's statistics", "err", oerr)
			}
			return err
		}
	}
	if mon != nil {
		work = watched(work, mon)
	}
	s := jobs.Schedule{Location: loc}
	s.TasksHour, s.TasksMin, _ = jobs.ParseClock(cfg.Get("tasks-at"))
	s.RetierHour, s.RetierMin, _ = jobs.ParseClock(cfg.Get("retier-at"))
	s.ChurnHour, s.ChurnMin, _ = jobs.ParseClock(cfg.Get("churn-at"))
	s.RecommendHour, s.RecommendMin, _ = jobs.ParseClock(cfg.Get("recommend-at"))
	// River stops when serve stops it, after the requests in flight; the
	// signal that ends serve must not cut its work off first.
	d, err := sqlstore.ParseDSN(cfg.Get("db"))
	if err != nil {
		return nil, err
	}
	r, err := jobs.Start(context.WithoutCancel(ctx), jobs.Database{Driver: d.Driver, Path: d.Path, URL: d.URL}, work, s, log)
	if err != nil {
		return nil, fmt.Errorf("the job queue: %w", err)
	}
	return r, nil
}

// watched records each run of the scheduled work with the monitor.
func watched(w jobs.Work, mon *monitor.Monitor) jobs.Work {
	at := func(name string, fn func(context.Context, time.Time) error) func(context.Context, time.Time) error {
		if fn == nil {
			return nil
		}
		return func(ctx context.Context, now time.Time) error {
			start := time.Now()
			err := fn(ctx, now)
			mon.Run(name, start, err)
			return err
		}
	}
	plain := func(name string, fn func(context.Context) error) func(context.Context) error {
		if fn == nil {
			return nil
		}
		return func(ctx context.Context) error {
			start := time.Now()
			err := fn(ctx)
			mon.Run(name, start, err)
			return err
		}
	}
	w.PlanTasks, w.Escalate, w.Churn, w.Remind = at("tasks", w.PlanTasks), at("complaint_escalation", w.Escalate),
		at("churn", w.Churn), at("reminders", w.Remind)
	w.Retier, w.Recommend = plain("retier", w.Retier), plain("recommender", w.Recommend)
	return w
}
