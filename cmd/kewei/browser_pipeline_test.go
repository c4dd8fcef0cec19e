package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// TestBrowserVisitAndKanban plans and reports a visit as a consultant,
// returns and then approves it as their manager, and moves an opportunity
// across the kanban by dragging its card.
func TestBrowserVisitAndKanban(t *testing.T) {
	ctx := browser(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "kewei.db")
	vars := map[string]string{"KEWEI_DB": dsn, "KEWEI_LOG_LEVEL": "warn"}
	mustRun(t, vars, "demo", "--customers", "100", "--consultants", "5", "--seed", "5", "--as-of", "2026-11-01", "--password", "demo password 1")
	customer := managedConsultant(t, dsn)
	base, _, stop := mustServe(t, vars)
	defer stop()
	signIn := func(name string) {
		t.Helper()
		act(t, ctx, "sign in as "+name, network.ClearBrowserCookies(), chromedp.Navigate(base+"/visits"), chromedp.WaitVisible("#name", chromedp.ByID),
			chromedp.SendKeys("#name", name, chromedp.ByID), chromedp.SendKeys("#password", "demo password 1", chromedp.ByID),
			chromedp.Submit("#password", chromedp.ByID), chromedp.WaitVisible(`#vm-h`, chromedp.ByID))
	}
	signIn("consultant001")
	page := fmt.Sprintf("%s/customers/%d", base, customer)
	act(t, ctx, "plan a visit", chromedp.Navigate(page), chromedp.WaitVisible("#vp-purpose", chromedp.ByID),
		chromedp.SetValue("#vp-at", "2026-12-01T10:00", chromedp.ByID), chromedp.SendKeys("#vp-purpose", "介绍新款七座车", chromedp.ByID),
		chromedp.Click("#vp-brochure", chromedp.ByID), chromedp.Click("#vp-gift", chromedp.ByID),
		chromedp.Submit("#vp-purpose", chromedp.ByID), chromedp.WaitVisible("#visit-report", chromedp.ByID))
	var visit string
	act(t, ctx, "the visit's address", chromedp.Location(&visit))
	visit = strings.Split(visit, "?")[0]
	act(t, ctx, "report", chromedp.SendKeys("#vr-dm", "张总", chromedp.ByID), chromedp.SendKeys("#vr-needs", "公司用车要换七座", chromedp.ByID),
		chromedp.SendKeys("#vr-next", "周五前发报价", chromedp.ByID), chromedp.Submit("#vr-dm", chromedp.ByID),
		chromedp.WaitVisible("#vrep-h", chromedp.ByID))

	signIn("boss")
	act(t, ctx, "the report waits for review", chromedp.WaitVisible("#vr-h", chromedp.ByID))
	act(t, ctx, "return it", chromedp.Navigate(visit), chromedp.WaitVisible("#visit-review", chromedp.ByID),
		chromedp.SendKeys("#vv-comment", "请补充竞品报价", chromedp.ByID), chromedp.Click(`#visit-review button[value="return"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#vrev-h", chromedp.ByID))
	signIn("consultant001")
	act(t, ctx, "resubmit", chromedp.Navigate(visit), chromedp.WaitVisible("#visit-report", chromedp.ByID),
		chromedp.SendKeys("#vr-inf", "采购部李经理", chromedp.ByID), chromedp.Submit("#vr-dm", chromedp.ByID), chromedp.WaitVisible("#vrep-h", chromedp.ByID))
	signIn("boss")
	act(t, ctx, "open it again", chromedp.Navigate(visit), chromedp.WaitVisible("#visit-review", chromedp.ByID))
	shot(t, ctx, "visit_review")
	act(t, ctx, "approve", chromedp.Click(`#visit-review button[value="approve"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash[role="status"]`, chromedp.ByQuery))
	if s := textOf(t, ctx, "main"); !strings.Contains(s, "已批准") || !strings.Contains(s, "采购部李经理") {
		t.Fatalf("not approved: %s", s)
	}

	signIn("consultant001")
	if s := textOf(t, ctx, `section[aria-labelledby="vm-h"]`); strings.Contains(s, "介绍新款七座车") {
		t.Error("the approved visit is still among those to report")
	}
	act(t, ctx, "the next step is a task", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`//*[contains(text(), "周五前发报价")]`, chromedp.BySearch))
	act(t, ctx, "open an opportunity", chromedp.Navigate(page), chromedp.WaitVisible("#opportunities", chromedp.ByID),
		chromedp.Click("#opportunities summary", chromedp.ByQuery), chromedp.SendKeys("#opp_o-name", "公司用车换购", chromedp.ByID),
		chromedp.SendKeys("#opp_o-amount", "360000", chromedp.ByID), chromedp.Submit("#opp_o-name", chromedp.ByID),
		chromedp.WaitVisible("#opp-h", chromedp.ByID))
	act(t, ctx, "the kanban", chromedp.Navigate(base+"/opportunities"), chromedp.WaitVisible(`.kanban .deal`, chromedp.ByQuery))
	// Drag the card onto the fourth column (商务谈判) the way a mouse does:
	// dragstart on the card, then dragover and drop on the column.
	var ok bool
	act(t, ctx, "drag the card", chromedp.Evaluate(`(() => {
		const card = document.querySelector(".kanban .deal");
		const col = document.querySelectorAll(".kanban .column")[3];
		const dt = new DataTransfer();
		card.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: dt}));
		col.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt}));
		col.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt}));
		return true;
	})()`, &ok), chromedp.WaitVisible(`//section[contains(@class, "column")][4]//article[contains(@class, "deal")]//a[text()="公司用车换购"]`, chromedp.BySearch))
	shot(t, ctx, "pipeline")
	if s := textOf(t, ctx, ".kanban .column:nth-of-type(4)"); !strings.Contains(s, "¥252,000.00") { // 360,000 at 70%
		t.Errorf("the negotiation column does not weigh the moved card: %s", s)
	}
	var width int
	act(t, ctx, "phone", chromedp.EmulateViewport(375, 800), chromedp.Navigate(base+"/opportunities"), chromedp.WaitVisible(".kanban", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width))
	if width > 375 {
		t.Errorf("the kanban page is %d px wide on a 375 px phone; its columns should scroll inside it", width)
	}
	act(t, ctx, "back to the desktop", chromedp.EmulateViewport(1280, 900))
}

// managedConsultant puts consultant001 in a team managed by a new user
// "boss" and returns one of consultant001's customers.
func managedConsultant(t *testing.T, dsn string) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	db, err := sqlstore.Open(sys, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	users := sqlstore.NewUserService(db)
	boss := &kewei.User{Name: "boss", DisplayName: "李经理", Role: kewei.RoleManager}
	if err := users.CreateUser(sys, boss, "demo password 1"); err != nil {
		t.Fatal(err)
	}
	team := &kewei.Team{Name: "一组", ManagerID: boss.ID}
	if err := sqlstore.NewTeamService(db).CreateTeam(sys, team); err != nil {
		t.Fatal(err)
	}
	u, err := users.FindUserByName(sys, "consultant001")
	if err != nil {
		t.Fatal(err)
	}
	var p kewei.Patch
	p.Version = u.Version
	p.Set("team_id", team.ID)
	if _, err := users.UpdateUser(sys, u.ID, p); err != nil {
		t.Fatal(err)
	}
	list, err := sqlstore.NewCustomerService(db).FindCustomers(sys, kewei.CustomerFilter{OwnerID: &u.ID, Limit: 1})
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("no customer of consultant001: %v", err)
	}
	return list.Items[0].ID
}
