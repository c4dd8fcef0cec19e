package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestPipelinePages(t *testing.T) {
	s := mustSite(t)
	wang, admin := s.client(t, "wangli"), s.client(t, "admin")
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
	id := itoa64(s.ids["张三"])
	if status, page, _ := post(wang, "/customers/"+id+"/opportunities", url.Values{"opp_name": {""}, "opp_amount": {"很多"}}); status != 400 ||
		!strings.Contains(page, `id="opp_o-amount" name="opp_amount" inputmode="decimal" value="很多" aria-invalid="true"`) {
		t.Fatalf("an opportunity without a name and with an unreadable amount: %d", status)
	}
	status, page, at := post(wang, "/customers/"+id+"/opportunities", url.Values{"opp_name": {"换购七座车"}, "opp_amount": {"250000"},
		"opp_expected_close": {"2027-01-15"}})
	if status != 200 || !strings.HasPrefix(at, "/opportunities/") || !strings.Contains(page, "换购七座车") {
		t.Fatalf("create: %d at %s", status, at)
	}
	_, board := get(t, wang, s.URL+"/opportunities")
	if !strings.Contains(board, `class="kanban"`) || !strings.Contains(board, "换购七座车") || !strings.Contains(board, "¥250,000.00") {
		t.Fatal("the opportunity is not on the kanban")
	}
	m := regexp.MustCompile(`action="(/opportunities/\d+/move)"[\s\S]*?name="version" value="(\d+)"[\s\S]*?<option value="(\d+)" >商务谈判`).FindStringSubmatch(board)
	if m == nil {
		t.Fatal("no move form on the card")
	}
	if status, page, _ := post(wang, m[1], url.Values{"stage_id": {m[3]}, "version": {m[2]}}); status != 200 ||
		!strings.Contains(page, "¥175,000.00") { // 250,000 at negotiation's 70%
		t.Fatalf("move: %d", status)
	}
	if status, _, _ := post(wang, m[1], url.Values{"stage_id": {m[3]}, "version": {m[2]}}); status != 200 {
		t.Fatalf("a stale move: %d", status)
	}
	if _, page := get(t, wang, s.URL+"/opportunities?view=list"); !strings.Contains(page, "商务谈判") || !strings.Contains(page, "70%") {
		t.Error("the list does not show the stage and probability")
	}
	if status, _ := get(t, s.client(t, "zhaoqiang"), s.URL+at); status != http.StatusNotFound {
		t.Errorf("another team's consultant opened the opportunity: %d", status)
	}

	contract := url.Values{"ct_number": {"HT-001"}, "ct_title": {"七座车购车合同"}, "ct_amount": {"248000"}, "ct_signed_on": {"2026-11-20"},
		"ct_ends_on": {"2026-11-01"}, "ct_starts_on": {"2026-12-01"}}
	if status, page, _ := post(wang, "/customers/"+id+"/contracts", contract); status != 400 || !strings.Contains(page, `name="ct_ends_on" type="date" value="2026-11-01"  aria-invalid="true"`) {
		t.Fatalf("a contract ending before it starts: %d", status)
	}
	contract.Set("ct_ends_on", "2027-11-30")
	if status, page, _ := post(wang, "/customers/"+id+"/contracts", contract); status != 200 || !strings.Contains(page, "HT-001") || !strings.Contains(page, "已签订") {
		t.Fatalf("record a contract: %d", status)
	}
	_, page = get(t, wang, s.URL+"/customers/"+id)
	cm := regexp.MustCompile(`action="(/contracts/\d+/status)"[\s\S]*?name="version" value="(\d+)"`).FindStringSubmatch(page)
	if cm == nil {
		t.Fatal("no status buttons on the contract")
	}
	if status, page, _ := post(wang, cm[1], url.Values{"customer_id": {id}, "version": {cm[2]}, "status": {"executing"}}); status != 200 || !strings.Contains(page, "执行中") {
		t.Fatalf("executing: %d", status)
	}
	if status, page, _ := post(wang, cm[1], url.Values{"customer_id": {id}, "version": {cm[2]}, "status": {"ended"}}); status != 400 || !strings.Contains(page, "合同已被他人修改") {
		t.Fatalf("a stale status change: %d", status)
	}

	if status, _ := get(t, wang, s.URL+"/admin/stages"); status != http.StatusForbidden {
		t.Errorf("a consultant opened the stages: %d", status)
	}
	_, stages := get(t, admin, s.URL+"/admin/stages")
	if !strings.Contains(stages, "Negotiation") {
		t.Fatal("no stages to edit")
	}
	ids := regexp.MustCompile(`name="id" value="(\d+)"`).FindAllStringSubmatch(stages, -1)
	form := url.Values{}
	names := []string{"接洽", "需求确认", "方案报价", "商务谈判", "赢单", "输单", "交车"}
	kinds := []string{"open", "open", "open", "open", "won", "lost", "open"}
	for i, m := range ids {
		form.Add("id", m[1])
		form.Add("position", itoa64(int64(i+1)))
		form.Add("name", names[i])
		form.Add("name_en", "")
		form.Add("probability", "40")
		form.Add("kind", kinds[i])
		form.Add("remove", "0")
	}
	form["name"][0] = "" // a stage without a name
	if status, page, _ := post(admin, "/admin/stages", form); status != 400 || !strings.Contains(page, `class="error"`) {
		t.Fatalf("a stage without a name: %d", status)
	}
	form["name"][0] = "接洽"
	form["name"][len(ids)-1] = "交车"
	form["position"][len(ids)-1] = "4.5" // the new stage goes before won
	if status, page, _ := post(admin, "/admin/stages", form); status != 200 || strings.Index(page, "交车") > strings.Index(page, "赢单") {
		t.Fatalf("add a stage: %d", status)
	}
}
