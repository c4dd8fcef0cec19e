package ui_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/tiering"
	"github.com/kewei-crm/kewei/internal/ui"
	"github.com/kewei-crm/kewei/internal/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// site is the pages over a store with a fixed clock, two teams' consultants,
// an administrator and a few customers.
type site struct {
	*httptest.Server
	svc kewei.Services
	ids map[string]int64
	db  *sqlstore.DB
}

// start is the clock's time when each site is built.
var start = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

var clock = start

func mustSite(t *testing.T) *site {
	t.Helper()
	clock = start // every site sees the same times, whatever ran before
	db := sqltest.MustOpen(t, "sqlite")
	db.Now = func() time.Time { return clock }
	svc := wire.Services(db, time.Hour, nil)
	pages, err := ui.New(svc, ui.Options{Logger: slog.New(slog.DiscardHandler), Location: time.FixedZone("CST", 8*3600),
		Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{Server: httptest.NewServer(pages), svc: svc, ids: map[string]int64{}, db: db}
	t.Cleanup(s.Close)
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	north, south := &kewei.Team{Name: "北区"}, &kewei.Team{Name: "南区"}
	svc.Teams.CreateTeam(sys, north)
	svc.Teams.CreateTeam(sys, south)
	for _, u := range []*kewei.User{
		{Name: "wangli", DisplayName: "王丽", Role: kewei.RoleConsultant, TeamID: north.ID},
		{Name: "zhaoqiang", DisplayName: "赵强", Role: kewei.RoleConsultant, TeamID: south.ID},
		{Name: "admin", DisplayName: "管理员", Role: kewei.RoleAdministrator, Locale: "en"},
		{Name: "auditor", DisplayName: "审计员", Role: kewei.RoleAuditor},
	} {
		if err := svc.Users.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		s.ids[u.Name] = u.ID
	}
	for i, c := range []*kewei.Customer{
		{Name: "张三", Phones: []kewei.Phone{{Number: "13812345678"}}, Email: "zhangsan@example.com", Stage: kewei.StageCustomer,
			Province: "广东省", City: "深圳市", Tags: []string{"车主"}, Birthday: kewei.Date{Year: 1985, Month: 5, Day: 17}, OwnerID: s.ids["wangli"]},
		{Name: "李四", Phones: []kewei.Phone{{Number: "13900001111"}}, Stage: kewei.StageProspect, Intent: kewei.IntentH, OwnerID: s.ids["wangli"]},
		{Name: "钱五", Phones: []kewei.Phone{{Number: "13700002222"}}, Stage: kewei.StageCustomer, OwnerID: s.ids["zhaoqiang"]},
	} {
		clock = clock.Add(time.Duration(i+1) * time.Minute)
		if err := svc.Customers.CreateCustomer(sys, c); err != nil {
			t.Fatal(err)
		}
		s.ids[c.Name] = c.ID
	}
	p := kewei.Money(1200000)
	svc.Records.Transactions.Create(sys, s.ids["张三"], &kewei.Transaction{OccurredAt: time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC),
		Amount: 25000000, Profit: &p, Product: "大众途观L"})
	svc.Records.Holdings.Create(sys, s.ids["张三"], &kewei.Holding{Product: "大众途观L", Category: "car", Value: 25000000,
		AcquiredOn: kewei.Date{Year: 2025, Month: 6, Day: 1}, Serial: "LSVAB1234567890XY"})
	return s
}

// client returns an HTTP client signed in as name, with its own cookies.
func (s *site) client(t *testing.T, name string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(s.URL+"/signin", url.Values{"name": {name}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/" {
		t.Fatalf("sign in as %s ended at %s", name, resp.Request.URL)
	}
	return c
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var bigNumber = regexp.MustCompile(`\b\d{12,}\b`)

// golden compares a page with testdata/NAME.html, ids replaced by ID.
func golden(t *testing.T, name, html string) {
	t.Helper()
	html = bigNumber.ReplaceAllString(html, "ID")
	path := filepath.Join("testdata", name+".html")
	if *update {
		if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/ui -update to create it)", err)
	}
	if string(want) != html {
		t.Errorf("%s differs from %s; run go test ./internal/ui -update if the change is meant\n%s", name, path, firstDiff(string(want), html))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestGoldenPages(t *testing.T) {
	s := mustSite(t)
	anon := &http.Client{}
	req, _ := http.NewRequest("GET", s.URL+"/signin", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	resp, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	golden(t, "signin_en", string(b))
	_, html := get(t, anon, s.URL+"/signin")
	golden(t, "signin_zh", html)

	wang := s.client(t, "wangli")
	for name, path := range map[string]string{
		"today":         "/",
		"customers":     "/customers?q=zs",
		"customer":      "/customers/" + itoa64(s.ids["张三"]),
		"customer_edit": "/customers/" + itoa64(s.ids["张三"]) + "/edit",
	} {
		status, html := get(t, wang, s.URL+path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		golden(t, name, html)
	}
	admin := s.client(t, "admin")
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	if _, err := tiering.Run(sys, s.svc.Tiers, tiering.Request{AsOf: kewei.DateOf(clock), Window: 0, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	_, html = get(t, admin, s.URL+"/customers/"+itoa64(s.ids["张三"]))
	golden(t, "customer_admin_en", html)
	for name, path := range map[string]string{"admin_users": "/admin/users", "admin_teams": "/admin/teams", "admin_fields": "/admin/fields",
		"value": "/value", "value_rules": "/value/rules", "playbooks": "/playbooks", "follow_up": "/follow-up",
		"service_report": "/reports/service", "complaints": "/complaints", "surveys": "/surveys"} {
		status, html := get(t, admin, s.URL+path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		golden(t, name, html)
	}
	status, html := get(t, s.client(t, "auditor"), s.URL+"/audit?action=create")
	if status != 200 {
		t.Fatalf("audit page: %d", status)
	}
	golden(t, "audit", html)
}

// TestPagesRespectScopes checks that the pages refuse what the API refuses.
func TestPagesRespectScopes(t *testing.T) {
	s := mustSite(t)
	wang, zhao, aud := s.client(t, "wangli"), s.client(t, "zhaoqiang"), s.client(t, "auditor")
	for _, tc := range []struct {
		c      *http.Client
		path   string
		status int
	}{
		{zhao, "/customers/" + itoa64(s.ids["张三"]), 404},
		{zhao, "/customers/" + itoa64(s.ids["张三"]) + "/edit", 404},
		{wang, "/admin/users", 403},
		{wang, "/audit", 403},
		{aud, "/customers/" + itoa64(s.ids["张三"]), 404},
		{wang, "/customers/" + itoa64(s.ids["张三"]), 200},
		{wang, "/customers/not-a-number", 404},
	} {
		if status, _ := get(t, tc.c, s.URL+tc.path); status != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, status, tc.status)
		}
	}
	_, html := get(t, zhao, s.URL+"/customers?q=张")
	if strings.Contains(html, "张三") {
		t.Fatal("a search shows another team's customer")
	}
	// A refused edit keeps the input and names the field.
	resp, err := wang.PostForm(s.URL+"/customers/"+itoa64(s.ids["张三"])+"/edit", url.Values{"version": {"1"},
		"name": {""}, "kind": {"individual"}, "stage": {"customer"}, "preferences": {"喜欢自驾"}, "phone1": {"12"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 400 || !strings.Contains(page, `id="err-name"`) || !strings.Contains(page, `id="err-phone1"`) ||
		!strings.Contains(page, "喜欢自驾") {
		t.Fatalf("refused edit: %d\n%s", resp.StatusCode, page)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestAdminForms adds and edits a custom field, a team and a user through
// the pages, with a refused form shown again.
func TestAdminForms(t *testing.T) {
	s := mustSite(t)
	admin := s.client(t, "admin")
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		resp, err := admin.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, page := post("/admin/fields", url.Values{"key": {"Bad Key"}, "label_zh": {"车型"}, "type": {"text"}}); status != 400 ||
		!strings.Contains(page, `id="err-key"`) {
		t.Fatalf("a bad key: %d", status)
	}
	if status, _ := post("/admin/fields", url.Values{"key": {"car_model"}, "label_zh": {"车型"}, "type": {"choice"},
		"choices": {"轿车，SUV、MPV"}}); status != 200 {
		t.Fatalf("add a field: %d", status)
	}
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	defs, _ := s.svc.CustomFields.FindCustomFields(sys)
	if len(defs) != 1 || len(defs[0].Choices) != 3 {
		t.Fatalf("fields %+v", defs)
	}
	if status, _ := post("/admin/fields/"+itoa64(defs[0].ID), url.Values{"version": {"1"}, "label_zh": {"意向车型"},
		"label_en": {"Car model"}, "choices": {"轿车, SUV"}, "sensitive": {"true"}}); status != 200 {
		t.Fatalf("edit a field: %d", status)
	}
	defs, _ = s.svc.CustomFields.FindCustomFields(sys)
	if defs[0].LabelZH != "意向车型" || !defs[0].Sensitive || len(defs[0].Choices) != 2 {
		t.Fatalf("after edit %+v", defs[0])
	}
	if status, _ := post("/admin/teams", url.Values{"name": {"东区"}}); status != 200 {
		t.Fatalf("add a team: %d", status)
	}
	if status, page := post("/admin/users", url.Values{"name": {"x y"}, "role": {"consultant"}, "password": {"short"}}); status != 400 ||
		!strings.Contains(page, `id="err-name"`) || strings.Contains(page, "short") {
		t.Fatalf("a bad user: %d", status)
	}
}
