// Package jobs runs Kewei's scheduled work on River, a maintained job queue
// with drivers for both databases: planning the day's tasks, sending
// reminders and re-tiering. River elects one leader among the server
// processes to schedule periodic jobs, so two servers on one PostgreSQL
// run each job once.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/kewei-crm/kewei"
)

// Work is what the jobs do; each func runs as the system.
type Work struct {
	// PlanTasks plans the tasks due by now (and escalates, and returns
	// customers to the pool).
	PlanTasks func(ctx context.Context, now time.Time) error
	// Remind plans and sends the reminders due by now; nil without a
	// webhook or a mail server.
	Remind func(ctx context.Context, now time.Time) error
	// Retier re-tiers every customer.
	Retier func(ctx context.Context) error
	// Escalate moves complaints whose SLA clock ran out; nil for none.
	Escalate func(ctx context.Context, now time.Time) error
	// Churn scores every customer's churn risk, retraining the model
	// first when it is due; nil for none.
	Churn func(ctx context.Context, now time.Time) error
	// Recommend retrains the recommender on every purchase; nil for none.
	Recommend func(ctx context.Context) error
}

// Schedule says when the periodic jobs run; a negative hour turns a daily
// job off.
type Schedule struct {
	Location                    *time.Location
	TasksHour, TasksMin         int
	RetierHour, RetierMin       int
	ChurnHour, ChurnMin         int
	RecommendHour, RecommendMin int
	// JobTimeout bounds one run of a job (the night's planning of a
	// million customers takes minutes); 3 hours when zero. River's own
	// default, a minute, would cancel them.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before another
	// process takes it over, as when the process working it was killed;
	// JobTimeout and a quarter of an hour when zero. Every job is
	// idempotent: planning skips what exists, scoring and tiering replace.
	RescueAfter time.Duration
}

// Runner is River running Kewei's jobs.
type Runner struct {
	stop  func(ctx context.Context) error
	close func()
}

// Stop lets running jobs finish (within ctx) and closes River's pool.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.stop(ctx)
	r.close()
	return err
}

// Database says where River keeps its tables: beside Kewei's, in the
// same database. The program parses its DSN into it.
type Database struct {
	Driver string // sqlite or postgres
	Path   string // the SQLite file
	URL    string // the PostgreSQL URL
}

// Start migrates River's tables in the database d and starts the periodic
// jobs.
func Start(ctx context.Context, d Database, w Work, s Schedule, log *slog.Logger) (*Runner, error) {
	cfg := config(w, s, log)
	if d.Driver == "sqlite" {
		// SQLite allows one writer: River gets one connection of its own.
		db, err := sql.Open("sqlite", "file:"+d.Path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		r, err := start(ctx, riversqlite.New(db), cfg)
		if err != nil {
			db.Close()
			return nil, err
		}
		r.close = func() { db.Close() }
		return r, nil
	}
	pool, err := pgxpool.New(ctx, d.URL)
	if err != nil {
		return nil, err
	}
	r, err := start(ctx, riverpgxv5.New(pool), cfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	r.close = pool.Close
	return r, nil
}

func start[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], cfg *river.Config) (*Runner, error) {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("migrating the job queue: %w", err)
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the job queue: %w", err)
	}
	return &Runner{stop: client.Stop}, nil
}

// Job kinds.
type (
	planTasksArgs struct{}
	remindArgs    struct{}
	retierArgs    struct{}
	escalateArgs  struct{}
	churnArgs     struct{}
	recommendArgs struct{}
)

func (planTasksArgs) Kind() string { return "plan_tasks" }
func (remindArgs) Kind() string    { return "send_reminders" }
func (retierArgs) Kind() string    { return "retier" }
func (escalateArgs) Kind() string  { return "escalate_complaints" }
func (churnArgs) Kind() string     { return "score_churn" }
func (recommendArgs) Kind() string { return "train_recommender" }

func config(w Work, s Schedule, log *slog.Logger) *river.Config {
	sys := func(ctx context.Context) context.Context { return kewei.WithActor(ctx, kewei.SystemActor) }
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[planTasksArgs]) error {
		return w.PlanTasks(sys(ctx), time.Now())
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[retierArgs]) error {
		return w.Retier(sys(ctx))
	}))
	var periodic []*river.PeriodicJob
	if s.TasksHour >= 0 {
		// Also at start, to catch up after downtime.
		periodic = append(periodic, river.NewPeriodicJob(daily{s.TasksHour, s.TasksMin, s.Location},
			func() (river.JobArgs, *river.InsertOpts) { return planTasksArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if s.RetierHour >= 0 {
		periodic = append(periodic, river.NewPeriodicJob(daily{s.RetierHour, s.RetierMin, s.Location},
			func() (river.JobArgs, *river.InsertOpts) { return retierArgs{}, nil }, nil))
	}
	if w.Remind != nil {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[remindArgs]) error {
			return w.Remind(sys(ctx), time.Now())
		}))
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return remindArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if w.Churn != nil && s.ChurnHour >= 0 {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[churnArgs]) error {
			return w.Churn(sys(ctx), time.Now())
		}))
		periodic = append(periodic, river.NewPeriodicJob(daily{s.ChurnHour, s.ChurnMin, s.Location},
			func() (river.JobArgs, *river.InsertOpts) { return churnArgs{}, nil }, nil))
	}
	if w.Recommend != nil && s.RecommendHour >= 0 {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[recommendArgs]) error {
			return w.Recommend(sys(ctx))
		}))
		// Also at start: the model lives in memory.
		periodic = append(periodic, river.NewPeriodicJob(daily{s.RecommendHour, s.RecommendMin, s.Location},
			func() (river.JobArgs, *river.InsertOpts) { return recommendArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if w.Escalate != nil {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[escalateArgs]) error {
			return w.Escalate(sys(ctx), time.Now())
		}))
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return escalateArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	timeout := s.JobTimeout
	if timeout <= 0 {
		timeout = 3 * time.Hour
	}
	rescue := s.RescueAfter
	if rescue <= timeout {
		rescue = timeout + 15*time.Minute
	}
	return &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:              workers,
		PeriodicJobs:         periodic,
		Logger:               slog.New(quiet{log.Handler()}),
		MaxAttempts:          5,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: rescue,
	}
}

// daily is a periodic schedule: every day at hour:minute in loc.
type daily struct {
	hour, minute int
	loc          *time.Location
}

// Next is the first hour:minute after current.
func (d daily) Next(current time.Time) time.Time {
	loc := d.loc
	if loc == nil {
		loc = time.Local
	}
	c := current.In(loc)
	t := time.Date(c.Year(), c.Month(), c.Day(), d.hour, d.minute, 0, 0, loc)
	if !t.After(c) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// quiet passes on River's warnings and errors only: its routine notes
// (started, job counts every few seconds) would drown Kewei's log.
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && q.Handler.Enabled(ctx, l)
}

// Handle drops the errors River reports while it is being stopped: its
// periodic work sees its context cancelled, which is the stop, not a fault.
func (q quiet) Handle(ctx context.Context, r slog.Record) error {
	cancelled := false
	r.Attrs(func(a slog.Attr) bool {
		if strings.Contains(a.Value.String(), context.Canceled.Error()) {
			cancelled = true
			return false
		}
		return true
	})
	if cancelled {
		return nil
	}
	return q.Handler.Handle(ctx, r)
}

func (q quiet) WithAttrs(a []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(a)} }
func (q quiet) WithGroup(n string) slog.Handler      { return quiet{q.Handler.WithGroup(n)} }
