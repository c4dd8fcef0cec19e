package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/wire"
)

// loadUser is one simulated consultant: a token, their customers and
// their open tasks.
type loadUser struct {
	token     string
	customers []int64
	names     []string // the first two characters of their customers' names, to search by
	tasks     []int64
}

// phase is what one stretch of load measured.
type phase struct {
	users            int
	took             time.Duration
	ok, shed, errors int
	p50, p99         time.Duration
	rps              float64
	firstError       string
	rssPeakMB        int
	byKind           map[string]int
	kindP99          map[string]time.Duration
}

// loadBench starts `kewei serve` as its own process on the data set and
// drives a mixed workload at it over loopback from this one: 70% lists,
// searches and customer pages, 20% logged interactions, 10% task updates,
// at 50 and then 200 concurrent users, beside the same clients against a
// bare net/http handler.
func loadBench(ctx context.Context, o options) error {
	started := time.Now()
	bin := filepath.Join("bench", "out", "kewei-load")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/kewei").CombinedOutput(); err != nil {
		return fmt.Errorf("build kewei: %v\n%s", err, out)
	}
	if err := vacuum(ctx, o.db); err != nil {
		return err
	}
	users, err := loadUsers(ctx, o.db, 200)
	if err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	srv := exec.CommandContext(ctx, bin, "serve")
	srv.Env = append(os.Environ(), "KEWEI_DB="+o.db, "KEWEI_ADDR=127.0.0.1:"+port, "KEWEI_RATE_LIMIT=0", "KEWEI_LOG_LEVEL=warn",
		"KEWEI_TASKS_AT=off", "KEWEI_RETIER_AT=off", "KEWEI_CHURN_AT=off", "KEWEI_RECOMMEND_AT=off")
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		// Stopped as an operator would, so that it writes what it writes on
		// the way out (KEWEI_CPU_PROFILE); killed if it hangs.
		_ = srv.Process.Signal(os.Interrupt)
		t := time.AfterFunc(30*time.Second, func() { srv.Process.Kill() })
		srv.Wait()
		t.Stop()
	}()
	base := "http://127.0.0.1:" + port
	if err := waitReady(ctx, base); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512}, Timeout: 30 * time.Second}
	bare, err := bareLimit(ctx, client, 50, 10*time.Second)
	if err != nil {
		return err
	}
	fmt.Printf("bare net/http, 50 users: %.0f requests/s, p99 %s\n", bare.rps, bare.p99)
	var phases []*phase
	for _, n := range []int{50, 200} {
		p := drive(ctx, client, base, users[:min(n, len(users))], n, 20*time.Second, srv.Process.Pid)
		fmt.Printf("%d users: %.0f requests/s, p50 %s, p99 %s, %d errors, %d shed (503), peak RSS %d MB %v, p99 by kind %v\n",
			n, p.rps, p.p50, p.p99, p.errors, p.shed, p.rssPeakMB, p.byKind, p.kindP99)
		if p.firstError != "" {
			fmt.Println("  first error:", p.firstError)
		}
		phases = append(phases, p)
	}
	return writeLoad(o, started, bare, phases, len(users))
}

// loadUsers makes a token for each of up to n demo consultants and reads
// their customers and open tasks.
func loadUsers(ctx context.Context, dsn string, n int) ([]*loadUser, error) {
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc := wire.Services(db, time.Hour, nil)
	raw, err := openRaw(dsn)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	var out []*loadUser
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("consultant%03d", i)
		token, err := benchToken(ctx, svc, name)
		if err != nil {
			break // fewer consultants in this data set
		}
		who, err := svc.Users.FindUserByName(kewei.WithActor(ctx, kewei.SystemActor), name)
		if err != nil {
			return nil, err
		}
		u := &loadUser{token: token}
		// By the owner and assignee indexes, one consultant at a time.
		if u.customers, u.names, err = ownCustomers(ctx, raw, who.ID); err != nil {
			return nil, err
		}
		u.tasks, err = ids(ctx, raw, `SELECT id FROM tasks WHERE assignee_id = $1 AND status = 'open' ORDER BY due_at LIMIT 500`, who.ID)
		if err != nil {
			return nil, err
		}
		if len(u.customers) > 0 {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no demo consultants with customers in %s", redact(dsn))
	}
	return out, nil
}

// ownCustomers reads up to 200 of a consultant's customers, by the owner
// index, with the start of each name (what a consultant types to find a
// customer they know).
func ownCustomers(ctx context.Context, raw *sql.DB, owner int64) ([]int64, []string, error) {
	rows, err := raw.QueryContext(ctx, `SELECT id, name FROM customers WHERE owner_id = $1 ORDER BY created_at DESC LIMIT 200`, owner)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ids []int64
	var names []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		if r := []rune(name); len(r) >= 2 {
			names = append(names, string(r[:2]))
		}
	}
	return ids, names, rows.Err()
}

func ids(ctx context.Context, raw *sql.DB, q string, arg any) ([]int64, error) {
	return column[int64](ctx, raw, q, arg)
}

// column reads the first column of a query's rows.
func column[T any](ctx context.Context, raw *sql.DB, q string, args ...any) ([]T, error) {
	rows, err := raw.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

func waitReady(ctx context.Context, base string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server at %s did not become ready", base)
}

var surnames = []string{"王", "李", "刘", "周", "吴", "wang", "li"}

// drive runs n closed-loop users for d and measures what they got.
func drive(ctx context.Context, client *http.Client, base string, users []*loadUser, n int, d time.Duration, pid int) *phase {
	p := &phase{users: n, byKind: map[string]int{}, kindP99: map[string]time.Duration{}}
	var mu sync.Mutex
	var lat []time.Duration
	kindLat := map[string][]time.Duration{}
	stop := time.Now().Add(d)
	rss := make(chan int)
	go func() { rss <- peakRSS(pid, stop) }()
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		u := users[i%len(users)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for time.Now().Before(stop) && ctx.Err() == nil {
				kind, method, path, body := u.next(rng)
				t := time.Now()
				code, msg := send(client, method, base+path, u.token, body)
				took := time.Since(t)
				mu.Lock()
				p.byKind[kind]++
				switch {
				case code == 503:
					p.shed++
				case code >= 200 && code < 300:
					p.ok++
					lat = append(lat, took)
					kindLat[kind] = append(kindLat[kind], took)
				default:
					p.errors++
					if p.firstError == "" {
						p.firstError = fmt.Sprintf("%s %s: %d %s", method, path, code, msg)
					}
				}
				mu.Unlock()
				if code == 503 {
					time.Sleep(100 * time.Millisecond) // as a client honouring Retry-After would, briefly
				}
			}
		}()
	}
	wg.Wait()
	p.took = time.Since(start)
	p.rssPeakMB = <-rss
	for k, l := range kindLat {
		slices.Sort(l)
		p.kindP99[k] = l[len(l)*99/100].Round(time.Millisecond)
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		p.p50, p.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	p.rps = float64(p.ok) / p.took.Seconds()
	return p
}

// next picks a request: 70% reads, 20% an interaction, 10% a task.
func (u *loadUser) next(rng *rand.Rand) (kind, method, path, body string) {
	c := u.customers[rng.IntN(len(u.customers))]
	switch r := rng.IntN(100); {
	case r < 25:
		return "list", "GET", "/api/v1/customers?limit=20", ""
	case r < 45:
		q := surnames[rng.IntN(len(surnames))]
		if len(u.names) > 0 {
			q = u.names[rng.IntN(len(u.names))]
		}
		return "search", "GET", "/api/v1/customers?limit=20&q=" + url.QueryEscape(q), ""
	case r < 70:
		return "detail", "GET", fmt.Sprintf("/api/v1/customers/%d", c), ""
	case r < 90:
		return "interaction", "POST", fmt.Sprintf("/api/v1/customers/%d/interactions", c),
			`{"kind":"call","direction":"inbound","summary":"客户来电咨询保养预约"}`
	}
	if len(u.tasks) == 0 {
		return "task", "GET", "/api/v1/tasks?mine=true&limit=20", ""
	}
	t := u.tasks[len(u.tasks)-1]
	u.tasks = u.tasks[:len(u.tasks)-1]
	return "task", "POST", fmt.Sprintf("/api/v1/tasks/%d/complete", t), `{"summary":"已电话联系，客户满意"}`
}

func send(client *http.Client, method, url, token, body string) (int, string) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return resp.StatusCode, string(bytes.TrimSpace(b[:min(len(b), 300)]))
	}
	return resp.StatusCode, ""
}

// peakRSS samples the process's resident memory until stop and returns
// the peak in MB.
func peakRSS(pid int, stop time.Time) int {
	peak := 0
	for time.Now().Before(stop) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return peak
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
				peak = max(peak, kb>>10)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return peak
}

// bareLimit drives a bare net/http handler that answers a customer-sized
// JSON body, with the same clients, for the ratio.
func bareLimit(ctx context.Context, client *http.Client, n int, d time.Duration) (*phase, error) {
	body := []byte(`{"id":1,"name":"王小明","phones":[{"number":"138****5678"}],"tier":"B","stage":"customer","version":3}`)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})}
	go srv.Serve(l)
	defer srv.Close()
	u := &loadUser{token: "x", customers: []int64{1}}
	base := "http://" + l.Addr().String()
	p := &phase{users: n}
	var mu sync.Mutex
	var lat []time.Duration
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) && ctx.Err() == nil {
				t := time.Now()
				code, _ := send(client, "GET", base+"/api/v1/customers/1", u.token, "")
				mu.Lock()
				if code == 200 {
					p.ok++
					lat = append(lat, time.Since(t))
				} else {
					p.errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	p.took = time.Since(start)
	slices.Sort(lat)
	if len(lat) > 0 {
		p.p50, p.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	p.rps = float64(p.ok) / p.took.Seconds()
	return p, nil
}

func writeLoad(o options, started time.Time, bare *phase, phases []*phase, consultants int) error {
	d, _ := sqlstore.ParseDSN(o.db)
	start, end := "<!-- bench:load-"+d.Driver+":start -->", "<!-- bench:load-"+d.Driver+":end -->"
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Mixed HTTP load, %s\n\n", start, name)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s. `kewei serve` runs as its own process on the data set (`KEWEI_RATE_LIMIT=0`, "+
		"scheduled jobs off, default load shedding: 64 in flight, 256 queued for at most 100 ms); %d demo consultants' tokens drive it "+
		"over loopback from the bench process, closed loop: 25%% customer lists, 20%% searches (by the first two characters of "+
		"one of the consultant's customers' names), 25%% customer pages, 20%% logged interactions, 10%% completed tasks (the task list when the consultant has no open task left). Command: `go run ./bench --load --db %s`.\n\n", started.Format("2006-01-02"), machine(), commit(),
		consultants, redact(o.db))
	if d.Driver == "postgres" {
		b.WriteString("The tables are vacuumed and analysed first, as autovacuum would have done after the bench's bulk writes " +
			"(these machines run PostgreSQL with autovacuum off). The server, PostgreSQL and the load share the machine's two cores.\n\n")
	}
	fmt.Fprintf(&b, "| users | served/s | p50 | p99 of served | errors | shed (503) | peak RSS | goal |\n|---|---|---|---|---|---|---|---|\n")
	for _, p := range phases {
		goal := ""
		if p.users <= 50 {
			goal = fmt.Sprintf("≥ 2,000/s, p99 ≤ 100 ms, no errors: %s", verdict(p.rps >= 2000 && p.p99 <= 100*time.Millisecond && p.errors == 0))
		} else {
			goal = fmt.Sprintf("sheds with 503, p99 of served ≤ 250 ms: %s", verdict(p.p99 <= 250*time.Millisecond && p.errors == 0))
		}
		fmt.Fprintf(&b, "| %d | %.0f | %s | %s | %d | %d | %d MB | %s; RSS ≤ 300 MB: %s |\n", p.users, p.rps, p.p50.Round(10*time.Microsecond),
			p.p99.Round(10*time.Microsecond), p.errors, p.shed, p.rssPeakMB, goal, verdict(p.rssPeakMB <= 300))
	}
	fmt.Fprintf(&b, "| bare net/http handler, 50 users | %.0f | %s | %s | %d | – | – | Kewei at 50 users ÷ bare: %.2f× the throughput |\n",
		bare.rps, bare.p50.Round(10*time.Microsecond), bare.p99.Round(10*time.Microsecond), bare.errors, phases[0].rps/max(bare.rps, 1))
	fmt.Fprintf(&b, "\nThe p99 of each kind of request at %d users: %s.\n", phases[0].users, kindText(phases[0].kindP99))
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}

func kindText(m map[string]time.Duration) string {
	var parts []string
	for _, k := range []string{"list", "search", "detail", "interaction", "task"} {
		if d, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %s", k, d))
		}
	}
	return strings.Join(parts, ", ")
}

// vacuum does on PostgreSQL what autovacuum would have done by now after
// the bench's bulk writes (a million customers re-tiered, a million and a
// half tasks planned): these machines run it with autovacuum off, and a
// table of dead rows and no statistics is not what a server meets.
func vacuum(ctx context.Context, dsn string) error {
	if !strings.HasPrefix(dsn, "postgres") {
		return nil
	}
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	tables, err := column[string](ctx, raw, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return err
	}
	start := time.Now()
	for _, t := range tables {
		if _, err := raw.ExecContext(ctx, `VACUUM (ANALYZE) `+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	fmt.Printf("VACUUM (ANALYZE) of %d tables, as autovacuum would: %s\n", len(tables), time.Since(start).Round(time.Millisecond))
	return nil
}
