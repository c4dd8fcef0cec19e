package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestComplaintPages(t *testing.T) {
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
	id := itoa64(s.ids["张三"])
	if status, page, _ := post("/customers/"+id+"/complaints", url.Values{"channel": {"phone"}, "category": {"交付"}, "severity": {"high"}}); status != 400 || !strings.Contains(page, `id="err-words"`) {
		t.Fatalf("a complaint without words: %d", status)
	}
	status, page, at := post("/customers/"+id+"/complaints", url.Values{"channel": {"phone"}, "category": {"交付"}, "severity": {"high"}, "words": {"车漆有划痕"}})
	if status != 200 || !strings.HasPrefix(at, "/complaints/") || !strings.Contains(page, "车漆有划痕") {
		t.Fatalf("record: %d at %s", status, at)
	}
	step := func(action string, extra url.Values) (int, string) {
		t.Helper()
		_, page := get(t, wang, s.URL+at)
		m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no step form for %s", action)
		}
		form := url.Values{"action": {action}, "version": {m[1]}}
		for k, v := range extra {
			form[k] = v
		}
		status, page, _ := post(at+"/steps", form)
		return status, page
	}
	for _, a := range []string{"acknowledge", "investigate"} {
		if status, _ := step(a, nil); status != 200 {
			t.Fatalf("%s: %d", a, status)
		}
	}
	if status, page := step("propose", url.Values{"note": {""}}); status != http.StatusBadRequest || !strings.Contains(page, "class=\"error\"") {
		t.Fatalf("a proposal without a solution: %d", status)
	}
	for _, st := range []struct {
		a     string
		extra url.Values
	}{{"propose", url.Values{"note": {"免费补漆"}}}, {"resolve", nil}, {"confirm", url.Values{"confirmation": {"满意"}}}} {
		if status, _ := step(st.a, st.extra); status != 200 {
			t.Fatalf("%s: %d", st.a, status)
		}
	}
	if status, page := step("close", url.Values{"root_cause": {"交付延误"}, "corrective_action": {""}}); status != 400 || !strings.Contains(page, "class=\"error\"") {
		t.Fatalf("a close without a corrective action: %d", status)
	}
	if status, page := step("close", url.Values{"root_cause": {"交付延误"}, "corrective_action": {"交车前检查漆面"}}); status != 200 || !strings.Contains(page, "交车前检查漆面") {
		t.Fatalf("close: %d", status)
	}
	if status, _, _ := post("/customers/"+id+"/services", url.Values{"kind": {"repair"}, "service_summary": {"补漆"}}); status != 200 {
		t.Errorf("record a service: %d", status)
	}
	if _, page := get(t, wang, s.URL+"/customers/"+id); !strings.Contains(page, "车漆有划痕") || !strings.Contains(page, "补漆") {
		t.Error("the complaint is not on the customer's timeline")
	}
	if status, _ := get(t, s.client(t, "zhaoqiang"), s.URL+at); status != http.StatusNotFound {
		t.Errorf("another team's consultant opened the complaint: %d", status)
	}
}
