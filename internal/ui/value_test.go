package ui_test

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func TestValuePagesAndOverride(t *testing.T) {
	s := mustSite(t)
	admin, wang := s.client(t, "admin"), s.client(t, "wangli")
	send := func(who string, path string, form url.Values) (int, string) {
		t.Helper()
		resp, err := s.client(t, who).PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get(t, wang, s.URL+"/value/rules"); status != 403 {
		t.Errorf("a consultant opened the tier rules: %d", status)
	}
	if status, page := get(t, wang, s.URL+"/value"); status != 200 || !strings.Contains(page, "客户数金字塔") || strings.Contains(page, `action="/value/run"`) {
		t.Errorf("a consultant's value page: %d, or it offers re-tiering", status)
	}
	// A rule with shrinking shares comes back with the message by the field.
	status, page := send("admin", "/value/rules", url.Values{"name": {"新车"}, "method": {"pareto"}, "metric": {"revenue"},
		"window_months": {"12"}, "share_a": {"30"}, "share_b": {"5"}, "share_c": {"20"}, "enabled": {"true"}})
	if status != 400 || !strings.Contains(page, `value="30"`) {
		t.Fatalf("bad shares: %d", status)
	}
	status, page = send("admin", "/value/rules", url.Values{"name": {"存款"}, "line": {"存款"}, "method": {"bands"}, "metric": {"balance"},
		"bands": {"100000 C 优质\n200000 B 重点\n300000 A VIP"}, "enabled": {"true"}})
	if status != 200 || !strings.Contains(page, "存款") {
		t.Fatalf("a banded rule: %d", status)
	}
	if status, page = send("admin", "/value/run", url.Values{"window": {"all"}}); status != 200 {
		t.Fatalf("re-tier: %d", status)
	}
	// 张三 holds a car worth 250,000: band B once the run is through.
	waitTier(t, s, s.ids["张三"], "B")
	// Consultants may not pin tiers; the form is not offered to them.
	id := itoa64(s.ids["张三"])
	if _, page := get(t, wang, s.URL+"/customers/"+id); strings.Contains(page, `action="/customers/`+id+`/tier"`) {
		t.Error("a consultant is offered the override form")
	}
	if status, _ := send("wangli", "/customers/"+id+"/tier", url.Values{"tier": {"A"}, "reason": {"x"}, "expires_on": {"2099-01-01"}}); status != 403 {
		t.Errorf("a consultant pinned a tier: %d", status)
	}
	if status, page := send("admin", "/customers/"+id+"/tier", url.Values{"tier": {"A"}, "reason": {""}, "expires_on": {"2099-01-01"}}); status != 400 || !strings.Contains(page, `id="err-reason"`) {
		t.Errorf("an override without a reason: %d", status)
	}
	if status, page := send("admin", "/customers/"+id+"/tier", url.Values{"tier": {"A"}, "reason": {"集团客户"}, "expires_on": {"2099-01-01"}}); status != 200 || !strings.Contains(page, "集团客户") {
		t.Fatalf("override: %d", status)
	}
	if _, page := get(t, admin, s.URL+"/customers/"+id); !strings.Contains(page, "Tier history") {
		t.Error("no tier history on the customer page")
	}
	if status, _ := send("admin", "/customers/"+id+"/tier/lift", nil); status != 200 {
		t.Errorf("lift: %d", status)
	}
	if status, page := get(t, admin, s.URL+"/value?from=2020-01-01&to=bad"); status != 200 || !strings.Contains(page, `id="err-to"`) {
		t.Errorf("a bad migration day: %d", status)
	}
}

// waitTier waits for a background run to give the customer the tier.
func waitTier(t *testing.T, s *site, id int64, want kewei.Tier) {
	t.Helper()
	for range 200 {
		c, err := s.svc.Customers.FindCustomerByID(kewei.WithActor(context.Background(), kewei.SystemActor), id)
		if err == nil && c.Tier == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("customer %d never became %s", id, want)
}
