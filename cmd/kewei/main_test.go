package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// syncBuffer is a buffer the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv runs commands with the given variables and no others.
func testEnv(vars map[string]string) (*env, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut,
		getenv: func(k string) string { return vars[k] }}, out, errOut
}

// mustRun runs a command and fails the test unless it exits 0.
func mustRun(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	e, out, errOut := testEnv(vars)
	if code := run(context.Background(), args, e); code != 0 {
		t.Fatalf("kewei %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out.String()
}

// mustServe starts `kewei serve` on port 0 and returns its base URL and a
// function that stops it and returns its exit status.
func mustServe(t *testing.T, vars map[string]string) (string, *syncBuffer, func() int) {
	t.Helper()
	e, out, errOut := testEnv(vars)
	addr := make(chan string, 1)
	e.ready = func(a string) { addr <- a }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, e) }()
	select {
	case a := <-addr:
		return "http://" + a, out, func() int { cancel(); return <-done }
	case code := <-done:
		t.Fatalf("serve exited with %d:\n%s%s", code, out, errOut)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s%s", out, errOut)
	}
	cancel()
	return "", nil, nil
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

// TestEndToEnd starts the real program on a fresh SQLite file and drives it
// over HTTP as a new installation would be used.
func TestEndToEnd(t *testing.T) {
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(t.TempDir(), "kewei.db"), "KEWEI_LOG_LEVEL": "warn",
		"KEWEI_METRICS_TOKEN": "scrape-secret"}
	base, out, stop := mustServe(t, vars)
	m := regexp.MustCompile(`administrator "admin" with the one-time password (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no first administrator in:\n%s", out)
	}
	if code, _ := call(t, "GET", base+"/healthz", "", ""); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	if code, _ := call(t, "GET", base+"/api/v1/customers", "", ""); code != 401 {
		t.Fatalf("unauthenticated list: %d", code)
	}
	code, body := call(t, "POST", base+"/api/v1/auth/signin", "", `{"name":"admin","password":"`+m[1]+`"}`)
	if code != 200 {
		t.Fatalf("sign in: %d %v", code, body)
	}
	token := body["token"].(string)
	if code, _ := call(t, "GET", base+"/api/v1/customers", token, ""); code != 403 {
		t.Fatalf("one-time password not enforced: %d", code)
	}
	if code, body := call(t, "POST", base+"/api/v1/me/password", token,
		`{"current_password":"`+m[1]+`","new_password":"a much better password"}`); code != 204 {
		t.Fatalf("change password: %d %v", code, body)
	}
	code, body = call(t, "POST", base+"/api/v1/customers", token,
		`{"name":"欧阳娜娜","phones":[{"number":"13912345678"}],"province":"广东省","city":"深圳市"}`)
	if code != 201 {
		t.Fatalf("create: %d %v", code, body)
	}
	code, body = call(t, "GET", base+"/api/v1/customers?q=oynn", token, "")
	if code != 200 || body["total"].(float64) != 1 {
		t.Fatalf("search by initials: %d %v", code, body)
	}
	// A cross-origin form post from a browser is refused.
	req, _ := http.NewRequest("POST", base+"/api/v1/auth/signout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 403 {
		t.Fatalf("cross-origin post: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	// So is a page's form posted from another site.
	req, _ = http.NewRequest("POST", base+"/signin", strings.NewReader("name=admin&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 403 {
		t.Fatalf("cross-site form post: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	// The pages are served too, in the browser's language.
	req, _ = http.NewRequest("GET", base+"/signin", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.8")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Sign in") {
		t.Fatalf("sign-in page: %d", resp.StatusCode)
	}
	// Metrics: for the scraper's token or an administrator, no one else.
	if code, _ := call(t, "GET", base+"/metrics", "", ""); code != 401 {
		t.Fatalf("metrics without a token: %d", code)
	}
	metrics := func(token string) string {
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("metrics: %d %s", resp.StatusCode, b)
		}
		return string(b)
	}
	for _, tok := range []string{"scrape-secret", token} {
		m := metrics(tok)
		for _, want := range []string{`kewei_http_request_duration_seconds_count{route="POST /api/v1/customers",status="2xx"} 1`,
			`kewei_http_request_duration_seconds_bucket{route="GET pages",status="2xx",le="+Inf"}`,
			`kewei_db_connections{pool="write",state="in_use"}`, `kewei_db_writes{what="commits"}`, "# TYPE kewei_jobs gauge"} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s:\n%s", want, m)
			}
		}
	}
	code, body = call(t, "GET", base+"/api/v1/status", token, "")
	if code != 200 || body["database"] != "sqlite" || body["schema"] == "" || body["requests"].(float64) < 5 {
		t.Fatalf("status: %d %v", code, body)
	}
	// A backup while serving, restored into a new file.
	backup := filepath.Join(t.TempDir(), "kewei.backup")
	mustRun(t, vars, "backup", backup)
	restored := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(t.TempDir(), "restored.db"), "KEWEI_LOG_LEVEL": "warn"}
	if out := mustRun(t, restored, "restore", backup); !strings.Contains(out, "customers") {
		t.Errorf("restore printed:\n%s", out)
	}
	if out := mustRun(t, restored, "audit", "verify"); !strings.HasPrefix(out, "ok:") {
		t.Errorf("audit after restore: %s", out)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d after shutdown", code)
	}
	// A second start finds the administrator and creates none.
	_, out, stop = mustServe(t, vars)
	if strings.Contains(out.String(), "one-time password") {
		t.Fatalf("second start created another administrator:\n%s", out)
	}
	stop()
}

func TestCommands(t *testing.T) {
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(t.TempDir(), "kewei.db")}
	out := mustRun(t, vars, "user", "add", "--name", "wangli", "--role", "consultant", "--display-name", "王丽")
	if !strings.Contains(out, "one-time password: ") {
		t.Fatalf("user add: %s", out)
	}
	token := strings.TrimSpace(mustRun(t, vars, "token", "create", "--user", "wangli", "--name", "export"))
	if !strings.HasPrefix(token, "kwt_") {
		t.Fatalf("token create printed %q", token)
	}
	if out := mustRun(t, vars, "user", "list"); !strings.Contains(out, "王丽") {
		t.Fatalf("user list: %s", out)
	}
	out = mustRun(t, vars, "demo", "--customers", "300", "--seed", "7", "--as-of", "2026-11-01", "--password", "demo password 1")
	if !strings.Contains(out, "loaded 300 customers") || !strings.Contains(out, "3000 transactions") {
		t.Fatalf("demo: %s", out)
	}
	if out := mustRun(t, vars, "version"); !strings.HasPrefix(out, "kewei ") {
		t.Fatalf("version: %s", out)
	}
	e, _, errOut := testEnv(vars)
	if code := run(context.Background(), []string{"user", "add", "--name", "x", "--role", "boss"}, e); code != 1 ||
		!strings.Contains(errOut.String(), "role") {
		t.Fatalf("bad role: exit %d, %s", code, errOut)
	}
	e, _, errOut = testEnv(vars)
	if code := run(context.Background(), []string{"frobnicate"}, e); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("unknown command: exit %d", code)
	}
	// A command with subcommands explains itself on `help`, and refuses
	// an unknown subcommand.
	if out := mustRun(t, vars, "help", "churn"); !strings.Contains(out, "usage: kewei churn evaluate") {
		t.Fatalf("help churn: %s", out)
	}
	e, _, errOut = testEnv(vars)
	if code := run(context.Background(), []string{"recommend", "guess"}, e); code != 2 || !strings.Contains(errOut.String(), "usage: kewei recommend") {
		t.Fatalf("recommend guess: exit %d, %s", code, errOut)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kewei.conf")
	os.WriteFile(file, []byte("# test\nKEWEI_ADDR=0.0.0.0:9000\nKEWEI_TIMEZONE=Asia/Urumqi\n"), 0o600)
	secret := filepath.Join(dir, "db")
	os.WriteFile(secret, []byte("postgres://kewei:s3cret@db.internal/kewei\n"), 0o600)
	vars := map[string]string{"KEWEI_CONFIG": file, "KEWEI_DB_FILE": secret, "KEWEI_TIMEZONE": "Europe/Paris"}
	out := mustRun(t, vars, "config", "--log-level", "debug")
	for _, want := range []string{"0.0.0.0:9000", "kewei.conf:2", "Europe/Paris", "# KEWEI_TIMEZONE", "debug", "# --log-level",
		"postgres://kewei:xxxxx@db.internal/kewei", "# KEWEI_DB_FILE"} {
		if !strings.Contains(out, want) {
			t.Errorf("config lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Fatalf("config shows the secret:\n%s", out)
	}
	e, _, errOut := testEnv(map[string]string{"KEWEI_SESSION_TTL": "forever"})
	if code := run(context.Background(), []string{"config"}, e); code != 1 || !strings.Contains(errOut.String(), "session-ttl (from KEWEI_SESSION_TTL)") {
		t.Fatalf("bad duration: %d %s", code, errOut)
	}
}

// TestPostgresNeedsMigrate checks that serve refuses a PostgreSQL database
// that kewei migrate has not brought up to date.
func TestPostgresNeedsMigrate(t *testing.T) {
	vars := map[string]string{"KEWEI_DB": sqltest.MustDSN(t, "postgres"), "KEWEI_LOG_LEVEL": "warn"}
	e, _, errOut := testEnv(vars)
	if code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, e); code != 1 ||
		!strings.Contains(errOut.String(), "kewei migrate") {
		t.Fatalf("serve on an empty PostgreSQL: exit %d, %s", code, errOut)
	}
	if out := mustRun(t, vars, "migrate"); !strings.Contains(out, "applied 0001_init.sql") {
		t.Fatalf("migrate: %s", out)
	}
	base, _, stop := mustServe(t, vars)
	if code, _ := call(t, "GET", base+"/readyz", "", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	stop()
}
