package i18n

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func TestCatalogsAgree(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys()) < 100 || len(c.Missing()) != 0 {
		t.Fatalf("%d keys, missing %v", len(c.Keys()), c.Missing())
	}
	if got := c.For("en-GB").T("customers.count", "1,234"); got != "1,234 customers" {
		t.Errorf("en: %q", got)
	}
	if got := c.For("zh").T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows itself: %q", got)
	}
}

func TestAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"": "zh-CN", "en-US,en;q=0.9": "en", "fr-FR,en;q=0.5": "en", "zh-TW,zh;q=0.9,en;q=0.8": "zh-CN",
		"de-DE,fr;q=0.8": "zh-CN", "ja": "zh-CN",
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	c, _ := Load()
	zh, en := c.For("zh-CN"), c.For("en")
	d := kewei.Date{Year: 2026, Month: 11, Day: 2}
	at := time.Date(2026, 11, 1, 18, 5, 0, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct{ got, want string }{
		{zh.Date(d), "2026年11月2日"}, {en.Date(d), "Nov 2, 2026"},
		{zh.Time(at, shanghai), "2026年11月2日 02:05"}, {en.Time(at, time.UTC), "Nov 1, 2026 18:05"},
		{zh.Number(1234567), "1,234,567"}, {en.Number(-1000), "-1,000"}, {zh.Number(999), "999"},
		{zh.Money(123456789), "¥1,234,567.89"}, {en.Money(-5), "-CNY 0.05"}, {zh.Date(kewei.Date{}), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
