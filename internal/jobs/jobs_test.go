package jobs_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/jobs"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestJobsRunOnRiver starts two runners on one database, as two server
// processes would, and checks the planning job runs at start, once, as
// the system.
func TestJobsRunOnRiver(t *testing.T) {
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			dsn := sqltest.MustDSN(t, driver)
			db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var planned, notSystem atomic.Int32
			work := jobs.Work{
				PlanTasks: func(ctx context.Context, now time.Time) error {
					if !kewei.ActorFrom(ctx).IsAdmin() {
						notSystem.Add(1)
					}
					planned.Add(1)
					return nil
				},
				Retier: func(ctx context.Context) error { return nil },
			}
			sched := jobs.Schedule{Location: time.UTC, TasksHour: 6, RetierHour: 2}
			log := slog.New(slog.DiscardHandler)
			var runners []*jobs.Runner
			n := 2
			if driver == "sqlite" {
				n = 1 // one server process per SQLite file
			}
			for range n {
				d, err := sqlstore.ParseDSN(dsn)
				if err != nil {
					t.Fatal(err)
				}
				r, err := jobs.Start(context.Background(), jobs.Database{Driver: d.Driver, Path: d.Path, URL: d.URL}, work, sched, log)
				if err != nil {
					t.Fatal(err)
				}
				runners = append(runners, r)
			}
			deadline := time.Now().Add(20 * time.Second)
			for planned.Load() == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(2 * time.Second) // room for a second run, if any
			for _, r := range runners {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if err := r.Stop(ctx); err != nil {
					t.Error(err)
				}
				cancel()
			}
			if planned.Load() != 1 || notSystem.Load() != 0 {
				t.Fatalf("the planning job ran %d times (%d not as the system), want once", planned.Load(), notSystem.Load())
			}
		})
	}
}
