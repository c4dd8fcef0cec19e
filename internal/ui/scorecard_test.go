package ui_test

import (
	"io"
	"strings"
	"testing"
)

func TestScorecardPage(t *testing.T) {
	s := mustSite(t)
	admin := s.client(t, "admin")
	status, page := get(t, admin, s.URL+"/scorecard?from=2026-01-01&to=2026-12-31")
	if status != 200 || !strings.Contains(page, "王丽") || !strings.Contains(page, "赵强") || !strings.Contains(page, "By team") {
		t.Fatalf("scorecard: %d", status)
	}
	if status, page := get(t, s.client(t, "wangli"), s.URL+"/scorecard"); status != 200 || strings.Contains(page, "赵强") {
		t.Errorf("a consultant sees another's line: %d", status)
	}
	if status, page := get(t, admin, s.URL+"/scorecard?from=2026-12-31&to=2026-01-01"); status != 200 || !strings.Contains(page, `class="error"`) {
		t.Errorf("a backwards period is not named: %d", status)
	}
	resp, err := admin.Get(s.URL + "/scorecard.csv?from=2026-01-01&to=2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "scorecard-20260101-20270101.csv") ||
		!strings.Contains(string(b), "person,北区,王丽") {
		t.Fatalf("csv %d %s:\n%s", resp.StatusCode, resp.Header.Get("Content-Disposition"), b)
	}
	if _, page := get(t, admin, s.URL+"/audit?action=export"); !strings.Contains(page, "scorecard") {
		t.Error("the download is not audited")
	}
}
