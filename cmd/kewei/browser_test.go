package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// browser starts headless Chromium for a test when KEWEI_TEST_BROWSER=1;
// otherwise it skips the test, saying how to run it.
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("KEWEI_TEST_BROWSER") != "1" {
		t.Skip("browser tests skipped: set KEWEI_TEST_BROWSER=1 (Debian's chromium at /usr/bin/chromium) to run them")
	}
	path := "/usr/bin/chromium"
	if p := os.Getenv("KEWEI_CHROMIUM"); p != "" {
		path = p
	}
	// Chromium may still write to its profile as it exits: the folder is
	// removed best-effort, not with t.TempDir, whose cleanup would fail.
	profile, err := os.MkdirTemp("", "kewei-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shot saves a screenshot under KEWEI_SCREENSHOTS when it is set.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("KEWEI_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func act(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	act(t, ctx, "read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// TestBrowser drives the real server in Chromium as a consultant would:
// sign in, add a customer, find them by pinyin initials, log a call, fix a
// refused edit, switch language, fail to open another team's customer, and
// read the pages on a phone.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	dbPath := filepath.Join(t.TempDir(), "kewei.db")
	vars := map[string]string{"KEWEI_DB": "sqlite:" + dbPath, "KEWEI_LOG_LEVEL": "warn"}
	mustRun(t, vars, "demo", "--customers", "400", "--consultants", "20", "--seed", "5", "--as-of", "2026-11-01", "--password", "demo password 1")
	mustRun(t, vars, "tier", "run", "--as-of", "2026-11-01", "--window", "all")
	mustRun(t, vars, "playbook", "add", "--template", "prospect_followup", "--enable")
	mustRun(t, vars, "playbook", "add", "--template", "dealership_delivery", "--enable")
	mustRun(t, vars, "tasks", "run")
	base, _, stop := mustServe(t, vars)
	defer stop()
	other := otherTeamsCustomer(t, "sqlite:"+dbPath)

	act(t, ctx, "sign-in page", chromedp.Navigate(base+"/customers"), chromedp.WaitVisible("#name", chromedp.ByID))
	shot(t, ctx, "signin")
	act(t, ctx, "sign in", chromedp.SendKeys("#name", "consultant001", chromedp.ByID),
		chromedp.SendKeys("#password", "demo password 1", chromedp.ByID), chromedp.Submit("#password", chromedp.ByID),
		chromedp.WaitVisible("form.filters", chromedp.ByQuery))
	shot(t, ctx, "customers")

	act(t, ctx, "new customer", chromedp.Navigate(base+"/customers/new"), chromedp.WaitVisible("#in-name", chromedp.ByID),
		chromedp.SendKeys("#in-name", "欧阳娜娜", chromedp.ByID), chromedp.SendKeys("#in-phone1", "139 1234 5678", chromedp.ByID),
		chromedp.Submit("#in-name", chromedp.ByID), chromedp.WaitVisible("#timeline-h", chromedp.ByID))
	act(t, ctx, "search by initials", chromedp.Navigate(base+"/customers"), chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.SendKeys("#q", "oynn", chromedp.ByID), chromedp.Submit("#q", chromedp.ByID),
		// The list before the search may already show the new customer:
		// wait for the answer page, whose box carries the query as its value.
		chromedp.WaitVisible(`#q[value="oynn"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//table//a[text()="欧阳娜娜"]`, chromedp.BySearch))
	act(t, ctx, "open the customer", chromedp.Click(`//table//a[text()="欧阳娜娜"]`, chromedp.BySearch),
		chromedp.WaitVisible("#log-summary", chromedp.ByID))

	act(t, ctx, "log a call", chromedp.SendKeys("#log-summary", "交车后首次回访，客户满意", chromedp.ByID),
		chromedp.SendKeys("#log-outcome", "预约首保", chromedp.ByID), chromedp.Submit("#log-summary", chromedp.ByID),
		chromedp.WaitVisible(`.flash[role="status"]`, chromedp.ByQuery))
	if tl := textOf(t, ctx, "ol.timeline"); !strings.Contains(tl, "交车后首次回访") {
		t.Fatalf("the call is not on the timeline: %s", tl)
	}
	shot(t, ctx, "customer")

	var url string
	act(t, ctx, "edit", chromedp.Location(&url))
	act(t, ctx, "refused edit", chromedp.Navigate(strings.Split(url, "?")[0]+"/edit"), chromedp.WaitVisible("#in-email", chromedp.ByID),
		chromedp.SendKeys("#in-email", "not-an-email", chromedp.ByID), chromedp.SendKeys("#in-preferences", "喜欢自驾游", chromedp.ByID),
		chromedp.Submit("#in-email", chromedp.ByID), chromedp.WaitVisible("#err-email", chromedp.ByID))
	var kept string
	act(t, ctx, "input kept", chromedp.Value("#in-preferences", &kept, chromedp.ByID))
	if kept != "喜欢自驾游" {
		t.Fatalf("the input was not kept: %q", kept)
	}
	shot(t, ctx, "customer_edit_error")
	act(t, ctx, "fixed edit", chromedp.SetValue("#in-email", "ouyang@example.com", chromedp.ByID), chromedp.Submit("#in-email", chromedp.ByID),
		chromedp.WaitVisible(`.flash[role="status"]`, chromedp.ByQuery))
	if p := textOf(t, ctx, "dl.pairs"); !strings.Contains(p, "ouyang@example.com") || !strings.Contains(p, "喜欢自驾游") {
		t.Fatalf("the edit did not stick: %s", p)
	}

	act(t, ctx, "switch to English", chromedp.SetValue("#locale-switch", "en", chromedp.ByID),
		chromedp.Submit("#locale-switch", chromedp.ByID), chromedp.WaitVisible(`//h2[text()="Timeline"]`, chromedp.BySearch))
	act(t, ctx, "today in English", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`//h2[text()="Tasks"]`, chromedp.BySearch))
	shot(t, ctx, "today")

	act(t, ctx, "today's tasks", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`li.task details summary`, chromedp.ByQuery))
	shot(t, ctx, "today_tasks")
	act(t, ctx, "do a task", chromedp.Click(`li.task details summary`, chromedp.ByQuery),
		chromedp.SendKeys(`li.task textarea[name="summary"]`, "电话回访，客户下周到店", chromedp.ByQuery),
		chromedp.Submit(`li.task textarea[name="summary"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash[role="status"]`, chromedp.ByQuery))
	if f := textOf(t, ctx, ".flash"); !strings.Contains(f, "Task done") {
		t.Errorf("completing a task said %q", f)
	}

	act(t, ctx, "customer value", chromedp.Navigate(base+"/value"), chromedp.WaitVisible(`svg.chart`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h2[text()="RFM segments"]`, chromedp.BySearch))
	if seg := textOf(t, ctx, "#seg-h + .scroll table"); !strings.Contains(seg, "Champions") && !strings.Contains(seg, "Loyal") {
		t.Errorf("no RFM segments on the value page: %s", seg)
	}
	shot(t, ctx, "value")

	act(t, ctx, "another team's customer", chromedp.Navigate(fmt.Sprintf("%s/customers/%d", base, other)),
		chromedp.WaitVisible(`//h1[text()="Not found"]`, chromedp.BySearch))

	for _, page := range []string{"/customers", "/", "/value"} {
		var width int
		act(t, ctx, "phone "+page, chromedp.EmulateViewport(375, 800), chromedp.Navigate(base+page),
			chromedp.WaitVisible("main", chromedp.ByQuery), chromedp.Evaluate(`document.documentElement.scrollWidth`, &width))
		if width > 375 {
			t.Errorf("%s is %d px wide on a 375 px phone", page, width)
		}
	}
	shot(t, ctx, "today_phone")
}

// otherTeamsCustomer returns a customer of consultant011, in another team
// than consultant001.
func otherTeamsCustomer(t *testing.T, dsn string) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	db, err := sqlstore.Open(sys, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := sqlstore.NewUserService(db).FindUserByName(sys, "consultant011")
	if err != nil {
		t.Fatal(err)
	}
	list, err := sqlstore.NewCustomerService(db).FindCustomers(sys, kewei.CustomerFilter{OwnerID: &u.ID, Limit: 1})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("no customer of consultant011: %v", err)
	}
	return list.Items[0].ID
}
