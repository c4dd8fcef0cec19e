package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// TestBrowserSurveyAndComplaint answers a survey link on a phone-sized page
// as a customer would, finds the used and the expired links refused, and
// follows a complaint to its close as a consultant.
func TestBrowserSurveyAndComplaint(t *testing.T) {
	ctx := browser(t)
	dbPath := filepath.Join(t.TempDir(), "kewei.db")
	dsn := "sqlite:" + dbPath
	vars := map[string]string{"KEWEI_DB": dsn, "KEWEI_LOG_LEVEL": "warn"}
	mustRun(t, vars, "demo", "--customers", "100", "--consultants", "5", "--seed", "5", "--as-of", "2026-11-01", "--password", "demo password 1")

	// Links made in the test: a live one, and one that expired yesterday.
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	db, err := sqlstore.Open(sys, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := sqlstore.NewUserService(db).FindUserByName(sys, "consultant001")
	if err != nil {
		t.Fatal(err)
	}
	list, err := sqlstore.NewCustomerService(db).FindCustomers(sys, kewei.CustomerFilter{OwnerID: &u.ID, Limit: 1})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("no customer of consultant001: %v", err)
	}
	c := list.Items[0]
	surveys := sqlstore.NewSurveyService(db)
	live, err := surveys.InviteToSurvey(sys, c.ID, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Now().AddDate(0, 0, -2) }
	expired, err := surveys.InviteToSurvey(sys, c.ID, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = time.Now
	k := &kewei.Complaint{CustomerID: c.ID, Channel: "phone", Category: "交付", Severity: kewei.SeverityHigh, Words: "提车时发现车漆有划痕"}
	if err := sqlstore.NewComplaintService(db).CreateComplaint(sys, k); err != nil {
		t.Fatal(err)
	}
	db.Close()

	base, _, stop := mustServe(t, vars)
	defer stop()

	act(t, ctx, "open the survey on a phone", chromedp.EmulateViewport(375, 800), chromedp.Navigate(base+"/s/"+live.Token),
		chromedp.WaitVisible(`form.survey`, chromedp.ByQuery))
	var sets []chromedp.Action
	for _, key := range []string{"reception", "expertise", "delivery", "after_sales"} {
		sets = append(sets, chromedp.SetValue("#e-"+key, "5", chromedp.ByID), chromedp.SetValue("#p-"+key, "6", chromedp.ByID))
	}
	sets = append(sets, chromedp.SetValue("#s-csat", "5", chromedp.ByID), chromedp.SetValue("#s-nps", "9", chromedp.ByID),
		chromedp.SendKeys("#s-comment", "服务很周到", chromedp.ByID))
	act(t, ctx, "fill the survey", sets...)
	shot(t, ctx, "survey")
	act(t, ctx, "send the survey", chromedp.Submit(`form.survey`, chromedp.ByQuery), chromedp.WaitVisible(`//h1[text()="谢谢您！" or text()="Thank you!"]`, chromedp.BySearch))
	var width int
	act(t, ctx, "phone width", chromedp.Evaluate(`document.documentElement.scrollWidth`, &width))
	if width > 375 {
		t.Errorf("the survey page is %d px wide on a 375 px phone", width)
	}
	gone := `//h1[text()="链接已失效" or text()="This link no longer works"]`
	act(t, ctx, "reuse the link", chromedp.Navigate(base+"/s/"+live.Token), chromedp.WaitVisible(gone, chromedp.BySearch))
	act(t, ctx, "an expired link", chromedp.Navigate(base+"/s/"+expired.Token), chromedp.WaitVisible(gone, chromedp.BySearch))

	act(t, ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/complaints"), chromedp.WaitVisible("#name", chromedp.ByID),
		chromedp.SendKeys("#name", "consultant001", chromedp.ByID), chromedp.SendKeys("#password", "demo password 1", chromedp.ByID),
		chromedp.Submit("#password", chromedp.ByID), chromedp.WaitVisible(`//td//a[contains(@href, "/complaints/")]`, chromedp.BySearch))
	shot(t, ctx, "complaints")
	act(t, ctx, "open the complaint", chromedp.Navigate(fmt.Sprintf("%s/complaints/%d", base, k.ID)), chromedp.WaitVisible(`form.step-acknowledge`, chromedp.ByQuery))
	act(t, ctx, "acknowledge", chromedp.SendKeys(`#n-acknowledge`, "已致电致歉，约定到店查看", chromedp.ByQuery),
		chromedp.Submit(`form.step-acknowledge`, chromedp.ByQuery), chromedp.WaitVisible(`form.step-propose`, chromedp.ByQuery))
	shot(t, ctx, "complaint")
	if h := textOf(t, ctx, "ol.timeline"); !strings.Contains(h, "已致电致歉") {
		t.Errorf("the step is not in the history: %s", h)
	}
}
