// Package monitor watches the running server: request latencies by route,
// the database pools, the job queue and the scheduled jobs, as Prometheus
// metrics and as a status for administrators.
package monitor

import (
	"context"
	"database/sql"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/metrics"
)

// DB is what the monitor reads of the database.
type DB interface {
	Driver() string
	Pools() map[string]sql.DBStats
	JobCounts(ctx context.Context) (map[string]int, error)
	SchemaVersion(ctx context.Context) (string, error)
	WriteGroups() (writes, commits int64)
}

// Monitor is kewei.StatusService and the source of /metrics.
type Monitor struct {
	Registry *metrics.Registry
	db       DB
	started  time.Time

	latency  *metrics.Histogram
	jobRuns  *metrics.Counter
	jobTook  *metrics.Histogram
	imported *metrics.Counter
	scored   *metrics.Counter
	shed     *metrics.Counter

	mu       sync.Mutex
	runs     map[string]kewei.JobRun
	requests int64
	errors   int64
}

var _ kewei.StatusService = (*Monitor)(nil)

// New registers Kewei's series on a fresh registry.
func New(db DB) *Monitor {
	r := metrics.New()
	m := &Monitor{Registry: r, db: db, started: time.Now(), runs: map[string]kewei.JobRun{},
		latency: r.Histogram("kewei_http_request_duration_seconds", "Time to answer a request, by route and status class.",
			metrics.DefaultBuckets, "route", "status"),
		jobRuns: r.Counter("kewei_job_runs_total", "Runs of scheduled jobs, by job and outcome.", "job", "outcome"),
		jobTook: r.Histogram("kewei_job_duration_seconds", "How long scheduled jobs take.",
			[]float64{1, 5, 15, 60, 300, 900, 3600}, "job"),
		imported: r.Counter("kewei_import_rows_total", "Rows of import files, by kind and outcome (imported, skipped, failed).", "kind", "outcome"),
		scored:   r.Counter("kewei_scored_customers_total", "Customers scored or tiered, by work (churn, tiers).", "work"),
		shed:     r.Counter("kewei_http_shed_total", "Requests refused with 503 because the server was busy."),
	}
	r.Gauge("kewei_db_connections", "Database connections, by pool and state.", m.connections, "pool", "state")
	r.Gauge("kewei_db_wait_seconds_total", "Time spent waiting for a database connection, by pool.", m.waits, "pool")
	r.Gauge("kewei_db_writes", "Write transactions committed, and the commits that carried them (writes arriving together share one).",
		func() []metrics.Sample {
			w, c := db.WriteGroups()
			return []metrics.Sample{{Labels: []string{"writes"}, Value: float64(w)}, {Labels: []string{"commits"}, Value: float64(c)}}
		}, "what")
	r.Gauge("kewei_jobs", "Jobs in the queue, by state (available, running, retryable, scheduled, completed, discarded, cancelled).",
		m.jobs, "state")
	r.Gauge("kewei_go_heap_bytes", "Heap in use.", func() []metrics.Sample {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return []metrics.Sample{{Value: float64(ms.HeapAlloc)}}
	})
	return m
}

func (m *Monitor) connections() []metrics.Sample {
	var out []metrics.Sample
	pools := m.db.Pools()
	for _, name := range sortedKeys(pools) {
		s := pools[name]
		out = append(out, metrics.Sample{Labels: []string{name, "in_use"}, Value: float64(s.InUse)},
			metrics.Sample{Labels: []string{name, "idle"}, Value: float64(s.Idle)})
	}
	return out
}

func (m *Monitor) waits() []metrics.Sample {
	var out []metrics.Sample
	pools := m.db.Pools()
	for _, name := range sortedKeys(pools) {
		out = append(out, metrics.Sample{Labels: []string{name}, Value: pools[name].WaitDuration.Seconds()})
	}
	return out
}

func (m *Monitor) jobs() []metrics.Sample {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := m.db.JobCounts(ctx)
	if err != nil {
		return nil
	}
	var out []metrics.Sample
	for _, st := range sortedKeys(counts) {
		out = append(out, metrics.Sample{Labels: []string{st}, Value: float64(counts[st])})
	}
	return out
}

// Observe records one answered request.
func (m *Monitor) Observe(route string, status int, took time.Duration) {
	class := "2xx"
	switch {
	case status >= 500:
		class = "5xx"
	case status >= 400:
		class = "4xx"
	case status >= 300:
		class = "3xx"
	}
	m.latency.Observe(took.Seconds(), route, class)
	m.mu.Lock()
	m.requests++
	if status >= 500 {
		m.errors++
	}
	m.mu.Unlock()
}

// Pages measures the pages under one route label, "pages": their paths
// carry ids, and one series per customer would be unbounded.
func (m *Monitor) Pages(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.Observe(r.Method+" pages", sw.status, time.Since(start))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Shed counts a request refused because the server was busy.
func (m *Monitor) Shed() {
	m.shed.Add(1)
	m.mu.Lock()
	m.requests++
	m.mu.Unlock()
}

// Run records one run of a scheduled job.
func (m *Monitor) Run(job string, start time.Time, err error) {
	took := time.Since(start)
	outcome := "ok"
	run := kewei.JobRun{Job: job, At: start.UTC(), Took: took.Round(time.Millisecond).String()}
	if err != nil {
		outcome, run.Error = "failed", err.Error()
	}
	m.jobRuns.Add(1, job, outcome)
	m.jobTook.Observe(took.Seconds(), job)
	m.mu.Lock()
	m.runs[job] = run
	m.mu.Unlock()
}

// Imported records a finished import's rows.
func (m *Monitor) Imported(imp *kewei.Import) {
	m.imported.Add(float64(imp.Imported), imp.Kind, "imported")
	m.imported.Add(float64(imp.Skipped), imp.Kind, "skipped")
	m.imported.Add(float64(imp.Failed), imp.Kind, "failed")
}

// Scored records customers scored by some work.
func (m *Monitor) Scored(work string, n int) { m.scored.Add(float64(n), work) }

// Status reports the installation's status to administrators.
func (m *Monitor) Status(ctx context.Context) (*kewei.SystemStatus, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators see the system's status")
	}
	st := &kewei.SystemStatus{Version: kewei.Version, Started: m.started.UTC(), Uptime: time.Since(m.started).Round(time.Second).String(),
		Database: m.db.Driver(), Pools: []kewei.PoolStatus{}, Jobs: []kewei.JobCount{}, Runs: []kewei.JobRun{}, Goroutine: runtime.NumGoroutine()}
	if st.Schema, err = m.db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	pools := m.db.Pools()
	for _, name := range sortedKeys(pools) {
		s := pools[name]
		st.Pools = append(st.Pools, kewei.PoolStatus{Name: name, Open: s.OpenConnections, InUse: s.InUse, Idle: s.Idle,
			WaitCount: s.WaitCount, WaitSeconds: s.WaitDuration.Seconds()})
	}
	counts, err := m.db.JobCounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range sortedKeys(counts) {
		st.Jobs = append(st.Jobs, kewei.JobCount{State: k, Count: counts[k]})
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st.HeapMB = int(ms.HeapAlloc >> 20)
	m.mu.Lock()
	for _, k := range sortedKeys(m.runs) {
		st.Runs = append(st.Runs, m.runs[k])
	}
	st.Requests, st.Errors = m.requests, m.errors
	m.mu.Unlock()
	return st, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
