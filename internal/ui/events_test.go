package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestEventAndCampaignPages(t *testing.T) {
	s := mustSite(t)
	admin, wang := s.client(t, "admin"), s.client(t, "wangli")
	post := func(c *http.Client, path string, form url.Values) (int, string, string) {
		t.Helper()
		resp, err := c.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Request.URL.Path
	}
	if status, page, _ := post(admin, "/campaigns", url.Values{"name": {""}, "channel": {"event"}, "cost": {"一万"}}); status != 400 ||
		!strings.Contains(page, `name="cost" inputmode="decimal" value="一万" aria-invalid="true"`) {
		t.Fatalf("a campaign without a name and with an unreadable cost: %d", status)
	}
	if status, page, _ := post(admin, "/campaigns", url.Values{"name": {"冬季试驾"}, "channel": {"event"}, "cost": {"8000"}}); status != 200 || !strings.Contains(page, "冬季试驾") {
		t.Fatalf("add a campaign: %d", status)
	}
	if status, _, _ := post(wang, "/campaigns", url.Values{"name": {"我的活动"}, "channel": {"sms"}}); status != http.StatusForbidden {
		t.Errorf("a consultant added a campaign: %d", status)
	}
	_, page := get(t, admin, s.URL+"/events")
	campaign := regexp.MustCompile(`<option value="(\d+)">冬季试驾`).FindStringSubmatch(page)
	if campaign == nil {
		t.Fatal("the campaign is not offered for events")
	}
	status, page, at := post(admin, "/events", url.Values{"name": {"冬季试驾日"}, "kind": {"test_drive"}, "starts_at": {"2026-12-12T10:00"},
		"capacity": {"30"}, "campaign_id": {campaign[1]}})
	if status != 200 || !strings.HasPrefix(at, "/events/") {
		t.Fatalf("add an event: %d at %s", status, at)
	}
	// 王丽 invites her customers (张三 and 李四) by SMS.
	status, page, _ = post(wang, at+"/invitations", url.Values{"stage": {"prospect", "customer"}, "channel": {"sms"}})
	if status != 200 || !strings.Contains(page, "已邀请 2 位") || !strings.Contains(page, "张三") || strings.Contains(page, "钱五") {
		t.Fatalf("invite: %d", status)
	}
	m := regexp.MustCompile(`action="(/invitations/\d+)"[\s\S]*?name="version" value="(\d+)"[\s\S]*?name="event_id" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no reply form")
	}
	if status, page, _ := post(wang, m[1], url.Values{"version": {m[2]}, "event_id": {m[3]}, "reply": {"yes"}, "attended": {"1"}, "guests": {"2"}}); status != 200 ||
		!strings.Contains(page, "已保存") {
		t.Fatalf("reply: %d", status)
	}
	if status, page, _ := post(wang, m[1], url.Values{"version": {m[2]}, "event_id": {m[3]}, "reply": {"no"}}); status != 200 || !strings.Contains(page, `class="flash error"`) {
		t.Fatalf("a stale reply: %d", status)
	}
	if status, page, _ := post(wang, at+"/leads", url.Values{"lead_name": {""}}); status != 400 || !strings.Contains(page, `name="lead_name" required value="" aria-invalid="true"`) {
		t.Fatalf("a lead without a name: %d", status)
	}
	status, page, lead := post(wang, at+"/leads", url.Values{"lead_name": {"周八"}, "lead_phone": {"13600001111"}})
	if status != 200 || !strings.HasPrefix(lead, "/customers/") || !strings.Contains(page, "周八") || !strings.Contains(page, `selected>冬季试驾`) {
		t.Fatalf("add a lead: %d at %s", status, lead)
	}
	_, page = get(t, wang, s.URL+at)
	for _, want := range []string{"<dt>已邀请</dt><dd>2</dd>", "<dt>到场</dt><dd>1", "<dt>新线索</dt><dd>1</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the funnel lacks %q", want)
		}
	}
	if _, page := get(t, wang, s.URL+"/campaigns"); !strings.Contains(page, "冬季试驾") || !strings.Contains(page, "活动") {
		t.Error("the campaign results are not shown")
	}
	if _, page := get(t, s.client(t, "zhaoqiang"), s.URL+at); !strings.Contains(page, "<dt>已邀请</dt><dd>0</dd>") {
		t.Error("another team's consultant counts 王丽's invitations")
	}
}
