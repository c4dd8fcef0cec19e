package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestVisitPages(t *testing.T) {
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
	version := func(c *http.Client, path string) string {
		t.Helper()
		_, page := get(t, c, s.URL+path)
		m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no form on %s", path)
		}
		return m[1]
	}
	id := itoa64(s.ids["张三"])
	plan := url.Values{"planned_at": {"2026-12-01T10:00"}, "purpose": {"介绍新车型"}, "checklist": {"brochure", "gift"}}
	if status, page, _ := post(wang, "/customers/"+id+"/visits", url.Values{"planned_at": {"明天"}, "purpose": {""}}); status != 400 ||
		!strings.Contains(page, `id="err-planned_at"`) || !strings.Contains(page, `id="err-purpose"`) {
		t.Fatalf("a plan without a time or purpose: %d", status)
	}
	status, page, at := post(wang, "/customers/"+id+"/visits", plan)
	if status != 200 || !strings.HasPrefix(at, "/visits/") || !strings.Contains(page, "介绍新车型") || !strings.Contains(page, "小礼品") {
		t.Fatalf("plan: %d at %s", status, at)
	}
	if status, _, _ := post(wang, at+"/report", url.Values{"decision_maker": {"张总"}, "version": {version(wang, at)}}); status != 400 {
		t.Fatalf("a report without needs: %d", status)
	}
	upload := func(name string, data []byte) (int, string) {
		t.Helper()
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
		mw.Close()
		resp, err := wang.Post(s.URL+at+"/attachments", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}
	if status, page := upload("空.txt", nil); status != 400 || !strings.Contains(page, `id="err-file"`) {
		t.Fatalf("an empty file: %d", status)
	}
	status, page = upload("展厅.jpg", []byte("\xff\xd8\xff\xe0 a photo"))
	link := regexp.MustCompile(`href="(/attachments/\d+)" download>展厅.jpg`).FindStringSubmatch(page)
	if status != 200 || link == nil {
		t.Fatalf("attach: %d", status)
	}
	resp, err := admin.Get(s.URL + link[1])
	if err != nil {
		t.Fatal(err)
	}
	photo, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		string(photo) != "\xff\xd8\xff\xe0 a photo" {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if status, _ := get(t, s.client(t, "zhaoqiang"), s.URL+link[1]); status != http.StatusNotFound {
		t.Errorf("another team's consultant downloaded the attachment: %d", status)
	}
	report := url.Values{"decision_maker": {"张总"}, "needs": {"想换七座车"}, "next_steps": {"周五发报价\r\n约试驾"}}
	report.Set("version", version(wang, at))
	if status, page, _ := post(wang, at+"/report", report); status != 200 || !strings.Contains(page, "待审核") {
		t.Fatalf("submit: %d", status)
	}
	if _, page := get(t, admin, s.URL+"/visits"); !strings.Contains(page, "Reports waiting for your review") || !strings.Contains(page, at) {
		t.Fatal("the report is not waiting for the administrator's review")
	}
	if status, page, _ := post(admin, at+"/review", url.Values{"decision": {"return"}, "version": {version(admin, at)}}); status != 400 ||
		!strings.Contains(page, `id="err-comment"`) {
		t.Fatalf("a return without a comment: %d", status)
	}
	if status, page, _ := post(admin, at+"/review", url.Values{"decision": {"return"}, "comment": {"补充竞品信息"}, "version": {version(admin, at)}}); status != 200 ||
		!strings.Contains(page, "Returned") {
		t.Fatalf("return: %d", status)
	}
	_, page = get(t, wang, s.URL+at)
	if !strings.Contains(page, "补充竞品信息") || !strings.Contains(page, "想换七座车") {
		t.Fatal("the returned report does not show the comment and what was reported")
	}
	report.Set("version", version(wang, at))
	if status, _, _ := post(wang, at+"/report", report); status != 200 {
		t.Fatalf("resubmit: %d", status)
	}
	if status, page, _ := post(admin, at+"/review", url.Values{"decision": {"approve"}, "version": {version(admin, at)}}); status != 200 || !strings.Contains(page, "Approved") {
		t.Fatalf("approve: %d", status)
	}
	if _, page := get(t, wang, s.URL+"/"); !strings.Contains(page, "周五发报价") {
		t.Error("the next steps are not tasks on the consultant's Today page")
	}
	if _, page := get(t, wang, s.URL+"/customers/"+id); !strings.Contains(page, "已批准") {
		t.Error("the visit is not on the customer's timeline")
	}
	if status, _ := get(t, s.client(t, "zhaoqiang"), s.URL+at); status != http.StatusNotFound {
		t.Errorf("another team's consultant opened the visit: %d", status)
	}
}
