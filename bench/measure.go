package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/ui"
	"github.com/kewei-crm/kewei/internal/wire"
)

// tracer records the statements the store sends while capturing.
type tracer struct {
	mu      sync.Mutex
	on      bool
	queries []traced
}

type traced struct {
	query string
	args  []any
}

func (t *tracer) trace(q string, args []any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.on {
		t.queries = append(t.queries, traced{q, append([]any(nil), args...)})
	}
}

func (t *tracer) capture(on bool) []traced {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on = on
	q := t.queries
	t.queries = nil
	return q
}

// bench is the API over the store, a client signed in as an administrator,
// and a bare connection pool for replaying the store's queries.
type bench struct {
	tr     *tracer
	base   string
	tokens map[string]string // by user name; "" is the administrator
	raw    *sql.DB
	client *http.Client
}

func measure(ctx context.Context, o options, rep *report) error {
	tr := &tracer{}
	db, err := sqlstore.Open(ctx, o.db, sqlstore.Options{Trace: tr.trace})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := wire.Services(db, time.Hour, nil)
	pages, err := ui.New(svc, ui.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	mux.Handle("/", pages)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tokens := map[string]string{}
	for _, name := range []string{"", "manager01", "consultant001"} {
		if tokens[name], err = benchToken(ctx, svc, name); err != nil {
			return err
		}
	}
	// Pages take the session cookie a browser would send.
	if _, err := benchToken(ctx, svc, "bench-pages"); err != nil {
		return err
	}
	sess, err := svc.Auth.SignIn(ctx, kewei.SignIn{Name: "bench-pages", Password: benchPassword})
	if err != nil {
		return err
	}
	tokens["page"] = sess.Token
	raw, err := openRaw(o.db)
	if err != nil {
		return err
	}
	defer raw.Close()
	if err := seedPipeline(ctx, o.db); err != nil {
		return fmt.Errorf("seed the pipeline: %w", err)
	}
	b := &bench{tr: tr, base: srv.URL, tokens: tokens, raw: raw, client: srv.Client()}
	in, err := sampleInputs(ctx, raw, 300)
	if err != nil {
		return err
	}
	for _, w := range workloads(in) {
		fmt.Printf("%-40s", w.name)
		n := o.iterations
		if w.goal.max >= time.Second { // a report: a tenth of the runs tells its percentiles well enough
			n = max(n/10, 20)
		}
		r, err := b.run(ctx, w, n)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		fmt.Printf("p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (raw p99 %6.2f ms)\n", ms(r.p[0]), ms(r.p[1]), ms(r.p[2]), ms(r.raw[2]))
		rep.results = append(rep.results, r)
	}
	return nil
}

// run measures one workload: each iteration through the API, then the same
// statements replayed on the bare pool.
func (b *bench) run(ctx context.Context, w workload, n int) (result, error) {
	var kw, bare []time.Duration
	for i := -n / 10; i < n; i++ { // the first tenth warms the caches and is not kept
		b.tr.capture(true)
		start := time.Now()
		for _, path := range w.paths(i) {
			if err := b.get(b.tokens[w.as], path); err != nil {
				b.tr.capture(false)
				return result{}, err
			}
		}
		d := time.Since(start)
		queries := b.tr.capture(false)
		start = time.Now()
		if err := replay(ctx, b.raw, queries); err != nil {
			return result{}, err
		}
		if i >= 0 {
			kw, bare = append(kw, d), append(bare, time.Since(start))
		}
	}
	return result{name: w.name, goal: w.goal, p: percentiles(kw), raw: percentiles(bare)}, nil
}

func (b *bench) get(token, path string) error {
	req, _ := http.NewRequest("GET", b.base+path, nil)
	if strings.HasPrefix(token, kewei.SessionTokenPrefix) {
		req.AddCookie(&http.Cookie{Name: "kewei_session", Value: token})
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return nil
}

// replay runs the statements in one read transaction, reading every row.
func replay(ctx context.Context, db *sql.DB, queries []traced) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range queries {
		if !strings.HasPrefix(strings.TrimSpace(q.query), "SELECT") {
			continue // the once-a-minute "last used" write of a token
		}
		rows, err := tx.QueryContext(ctx, q.query, q.args...)
		if err != nil {
			return fmt.Errorf("replay %q: %w", q.query, err)
		}
		cols, _ := rows.Columns()
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
	}
	return tx.Commit()
}

// benchPassword is the bench administrator's password, for the pages'
// session.
const benchPassword = "bench password 1"

// benchToken returns a token for a demo user, or for an administrator the
// bench makes (bench-admin when name is empty, bench-pages for the pages).
func benchToken(ctx context.Context, svc api.Services, name string) (string, error) {
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	if name == "" {
		name = "bench-admin"
	}
	u, err := svc.Users.FindUserByName(sys, name)
	if err != nil && strings.HasPrefix(name, "bench-") {
		u = &kewei.User{Name: name, Role: kewei.RoleAdministrator}
		err = svc.Users.CreateUser(sys, u, benchPassword)
	}
	if err != nil {
		return "", err
	}
	token, _, err := svc.Auth.CreateToken(sys, u.ID, "bench", time.Hour)
	return token, err
}

// openRaw opens a plain pool on the database, as an application without
// Kewei would.
func openRaw(dsn string) (*sql.DB, error) {
	d, err := sqlstore.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if d.Driver == "sqlite" {
		return sql.Open("sqlite", "file:"+d.Path+"?_pragma=busy_timeout(10000)&_pragma=cache_size(-65536)&_query_only=1")
	}
	return sql.Open("pgx", d.URL)
}
