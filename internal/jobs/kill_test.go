package jobs_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/jobs"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestMain lets the test run a server's job runner as a child process, to
// kill it in the middle of a job.
func TestMain(m *testing.M) {
	if dsn := os.Getenv("KEWEI_JOBS_CHILD"); dsn != "" {
		d, err := sqlstore.ParseDSN(dsn)
		if err != nil {
			panic(err)
		}
		mark := os.Getenv("KEWEI_JOBS_MARK")
		work := jobs.Work{
			PlanTasks: func(ctx context.Context, now time.Time) error {
				os.WriteFile(mark, []byte("started"), 0o600)
				select {} // works until it is killed
			},
			Retier: func(ctx context.Context) error { return nil },
		}
		_, err = jobs.Start(context.Background(), jobs.Database{Driver: d.Driver, Path: d.Path, URL: d.URL}, work,
			jobs.Schedule{Location: time.UTC, TasksHour: 6, RetierHour: -1, ChurnHour: -1, RecommendHour: -1},
			slog.New(slog.DiscardHandler))
		if err != nil {
			panic(err)
		}
		select {}
	}
	os.Exit(m.Run())
}

// TestJobOfAKilledProcessFinishesOnce kills, with SIGKILL, the process
// working the day's planning job; another process on the same PostgreSQL
// takes the job over once it is stuck and finishes it, and no job is
// finished twice.
func TestJobOfAKilledProcessFinishesOnce(t *testing.T) {
	if os.Getenv(sqltest.PostgresEnv) == "" {
		t.Skip("PostgreSQL skipped: two processes share a PostgreSQL database; set " + sqltest.PostgresEnv)
	}
	dsn := sqltest.MustDSN(t, "postgres")
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	mark := filepath.Join(t.TempDir(), "started")
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "KEWEI_JOBS_CHILD="+dsn, "KEWEI_JOBS_MARK="+mark)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(mark); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(mark); err != nil {
		child.Process.Kill()
		child.Wait()
		t.Fatal("the first process never started the planning job")
	}
	child.Process.Kill() // in the middle of the job
	child.Wait()

	var finished atomic.Int32
	work := jobs.Work{
		PlanTasks: func(ctx context.Context, now time.Time) error { finished.Add(1); return nil },
		Retier:    func(ctx context.Context) error { return nil },
	}
	d, _ := sqlstore.ParseDSN(dsn)
	// No schedule of its own: only the job the killed process left.
	r, err := jobs.Start(context.Background(), jobs.Database{Driver: d.Driver, URL: d.URL}, work,
		jobs.Schedule{Location: time.UTC, TasksHour: -1, RetierHour: -1, ChurnHour: -1, RecommendHour: -1,
			JobTimeout: time.Second, RescueAfter: 2 * time.Second}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(ctx)
	}()
	deadline = time.Now().Add(120 * time.Second)
	for finished.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // room for a second finish, if any
	raw, err := sql.Open("pgx", d.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var jobsLeft, completed int
	if err := raw.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = 'plan_tasks'`).
		Scan(&jobsLeft, &completed); err != nil {
		t.Fatal(err)
	}
	if finished.Load() != 1 || jobsLeft != 1 || completed != 1 {
		t.Fatalf("the killed process's job: finished %d times by the second process; %d jobs, %d completed; want once, 1, 1",
			finished.Load(), jobsLeft, completed)
	}
}
