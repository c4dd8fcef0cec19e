package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
)

func TestPlaybookPagesAndTodayTasks(t *testing.T) {
	s := mustSite(t)
	send := func(who, path string, form url.Values) (int, string, string) {
		t.Helper()
		c := s.client(t, who)
		resp, err := c.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Request.URL.Path
	}
	if status, _, _ := send("wangli", "/playbooks", url.Values{"template": {"dealership_delivery"}}); status != http.StatusForbidden {
		t.Errorf("a consultant added a playbook: %d", status)
	}
	status, page, at := send("admin", "/playbooks", url.Values{"template": {"dealership_delivery"}})
	if status != 200 || !strings.HasPrefix(at, "/playbooks/") || !strings.Contains(page, "call_1") {
		t.Fatalf("add from template: %d at %s", status, at)
	}
	// Save it enabled with one step of a bad offset: the error sits by the step.
	form := url.Values{"version": {"1"}, "name": {"交车回访"}, "enabled": {"true"}, "stage": {"customer"},
		"s0.key": {"call_1"}, "s0.trigger": {"date"}, "s0.date": {"delivery"}, "s0.offset_days": {"9999"}, "s0.action": {"call"}, "s0.assignee": {"owner"},
		"s1.key": {""}}
	status, page, _ = send("admin", at, form)
	if status != 400 || !regexp.MustCompile(`(?s)s0-offset.*class="error"`).MatchString(page) {
		i := strings.Index(page, "s0-offset")
		t.Fatalf("a bad offset: %d %s", status, page[max(0, i-200):min(len(page), i+600)])
	}
	form.Set("s0.offset_days", "1")
	if status, page, _ = send("admin", at, form); status != 200 || !strings.Contains(page, "交车回访") {
		t.Fatalf("save: %d", status)
	}
	// 张三 (wangli's) got a car on 2025-06-01 per the site; give a fresh one.
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	h := &kewei.Holding{Product: "新车", AcquiredOn: kewei.DateOf(clock)}
	if err := s.svc.Records.Holdings.Create(sys, s.ids["张三"], h); err != nil {
		t.Fatal(err)
	}
	if status, page, _ := send("admin", "/playbooks/run", nil); status != 200 || !strings.Contains(page, "1 new tasks") {
		t.Fatalf("run: %d", status)
	}
	_, today := get(t, s.client(t, "wangli"), s.URL+"/")
	m := regexp.MustCompile(`action="/tasks/(\d+)/skip"`).FindStringSubmatch(today)
	if m == nil || !strings.Contains(today, "张三") {
		t.Fatalf("no task on wangli's Today page")
	}
	if status, page, _ := send("wangli", "/tasks/"+m[1]+"/skip", url.Values{"reason": {" "}}); status != 400 || !strings.Contains(page, `id="err-reason"`) {
		t.Fatalf("a skip without a reason: %d", status)
	}
	if status, page, _ := send("wangli", "/tasks/"+m[1]+"/complete", url.Values{"summary": {"交车次日回访"}}); status != 200 || strings.Contains(page, "/tasks/"+m[1]+"/") {
		t.Fatalf("complete: %d, or the task is still listed", status)
	}
	if status, _, _ := send("zhaoqiang", "/tasks/"+m[1]+"/complete", nil); status != http.StatusNotFound {
		t.Errorf("another team's consultant reached the task: %d", status)
	}
}

func TestHandoverPage(t *testing.T) {
	s := mustSite(t)
	admin := s.client(t, "admin")
	resp, err := admin.PostForm(s.URL+"/admin/handover", url.Values{"from_user_id": {itoa64(s.ids["wangli"])}, "to_user_id": {itoa64(s.ids["wangli"])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a handover to oneself: %d", resp.StatusCode)
	}
	resp, err = admin.PostForm(s.URL+"/admin/handover", url.Values{"from_user_id": {itoa64(s.ids["wangli"])}, "to_user_id": {itoa64(s.ids["zhaoqiang"])}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "2 customers and 0 tasks handed over") {
		t.Fatalf("handover: %d", resp.StatusCode)
	}
	if status, _ := get(t, s.client(t, "zhaoqiang"), s.URL+"/customers/"+itoa64(s.ids["张三"])); status != 200 {
		t.Errorf("the new owner cannot open the customer: %d", status)
	}
}

func TestCalendarLinkOnTheProfile(t *testing.T) {
	s := mustSite(t)
	resp, err := s.client(t, "wangli").PostForm(s.URL+"/me/calendar", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := regexp.MustCompile(`/api/v1/calendar/kwc_[A-Za-z0-9_-]+\.ics`).FindString(string(b)); resp.StatusCode != 200 || m == "" {
		t.Fatalf("no feed address on the page: %d", resp.StatusCode)
	}
}

func TestPoolPage(t *testing.T) {
	s := mustSite(t)
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	c := &kewei.Customer{Name: "无主客户", Stage: kewei.StageProspect}
	if err := s.svc.Customers.CreateCustomer(sys, c); err != nil {
		t.Fatal(err)
	}
	status, page := get(t, s.client(t, "wangli"), s.URL+"/pool")
	if status != 200 || !strings.Contains(page, "无主客户") || strings.Contains(page, `action="/pool/settings"`) {
		t.Fatalf("the pool page: %d", status)
	}
	resp, err := s.client(t, "wangli").PostForm(s.URL+"/pool/"+itoa64(c.ID)+"/claim", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/customers/"+itoa64(c.ID) {
		t.Fatalf("claim: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	resp, err = s.client(t, "admin").PostForm(s.URL+"/pool/settings", url.Values{"days_C": {"90"}, "claim_cap": {"0"}, "lockout_days": {"30"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a claim cap of 0: %d", resp.StatusCode)
	}
}

func TestHolidayDatesForm(t *testing.T) {
	s := mustSite(t)
	admin := s.client(t, "admin")
	_, page := get(t, admin, s.URL+"/playbooks")
	if !strings.Contains(page, `name="mid_autumn" type="date" value="2026-09-25"`) {
		t.Fatal("no computed Mid-Autumn 2026 on the playbooks page")
	}
	resp, err := admin.PostForm(s.URL+"/playbooks/holidays", url.Values{"year": {"2026"}, "mid_autumn": {"2026-09-25"}, "national_day": {"2026-10-02"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	days, err := s.svc.Playbooks.HolidayDays(kewei.WithActor(context.Background(), kewei.SystemActor), 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range days {
		if (h.Key == "national_day") != h.Set {
			t.Errorf("%s set: %v (only National Day was changed)", h.Key, h.Set)
		}
	}
	resp, _ = admin.PostForm(s.URL+"/playbooks/holidays", url.Values{"year": {"2026"}, "national_day": {"2026-13-40"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad date: %d", resp.StatusCode)
	}
}
