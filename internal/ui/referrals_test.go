package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func TestReferralPages(t *testing.T) {
	s := mustSite(t)
	wang := s.client(t, "wangli")
	post := func(path string, form url.Values) (int, string, string) {
		t.Helper()
		resp, err := wang.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Request.URL.Path
	}
	referrer, prospect := itoa64(s.ids["张三"]), itoa64(s.ids["李四"])
	status, page, at := post("/customers/"+referrer+"/referral-cards", nil)
	if status != 200 || !strings.HasPrefix(at, "/referral-cards/") || strings.Count(page, "R000001") < 2 ||
		!strings.Contains(page, "客户联") || !strings.Contains(page, "存档联") || !strings.Contains(page, "王丽") {
		t.Fatalf("issue and print: %d at %s", status, at)
	}
	if status, page, _ := post("/customers/"+prospect+"/referred-by", url.Values{"card_number": {"R000009"}}); status != 400 ||
		!strings.Contains(page, `id="err-card_number"`) {
		t.Fatalf("an unknown card: %d", status)
	}
	if status, page, _ := post("/customers/"+prospect+"/referred-by", url.Values{"card_number": {"R000001"}}); status != 200 ||
		!strings.Contains(page, "凭转介绍卡 R000001 而来") {
		t.Fatalf("link: %d", status)
	}
	if _, page := get(t, wang, s.URL+"/customers/"+referrer); !strings.Contains(page, "尚未成交") || strings.Contains(page, "/redeem") {
		t.Fatal("a reward is offered before the prospect bought")
	}
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	if err := s.svc.Records.Transactions.Create(sys, s.ids["李四"], &kewei.Transaction{OccurredAt: time.Now(), Amount: 100}); err != nil {
		t.Fatal(err)
	}
	_, page = get(t, wang, s.URL+"/customers/"+referrer)
	m := regexp.MustCompile(`action="(/referrals/\d+/redeem)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no reward to give after the purchase")
	}
	form := url.Values{"customer_id": {referrer}, "reward": {"保养券"}}
	if status, page, _ := post(m[1], form); status != 200 || !strings.Contains(page, "已发放：保养券") || !strings.Contains(page, "推荐了 1 位，已成交 1 位，已发放奖励 1 次") {
		t.Fatalf("redeem: %d", status)
	}
	if status, page, _ := post(m[1], form); status != http.StatusBadRequest || !strings.Contains(page, "已经发放过") {
		t.Fatalf("a second redemption: %d", status)
	}
}
