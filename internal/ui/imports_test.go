package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

// upload posts the import form with a file, as a browser does: the options
// first, the file last.
func upload(t *testing.T, c *http.Client, url string, fields map[string]string, name, body string) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, k := range []string{"kind", "dry_run", "create_customers", "again"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(body))
	mw.Close()
	resp, err := c.Post(url, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp, out.String()
}

func TestImportPages(t *testing.T) {
	s := mustSite(t)
	c := s.client(t, "wangli")
	_, page := get(t, c, s.URL+"/imports")
	if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, "还没有导入过文件") ||
		!strings.Contains(page, "/api/v1/imports/template?kind=customers&amp;format=xlsx") {
		t.Fatalf("imports page:\n%s", page)
	}
	file := "客户编号,姓名,手机\nC1,孙六,13812340000\nC2,周七,12\n"
	resp, page := upload(t, c, s.URL+"/imports", map[string]string{"kind": "customers"}, "客户.csv", file)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Request.URL.Path, "/imports/") {
		t.Fatalf("upload ended at %s with %d:\n%s", resp.Request.URL, resp.StatusCode, page)
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(page, `data-status="running"`) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		_, page = get(t, c, resp.Request.URL.String())
	}
	for _, want := range []string{"客户.csv", "完成", `data-count="imported">1<`, `data-count="failed">1<`, "下载问题报告"} {
		if !strings.Contains(page, want) {
			t.Fatalf("import page lacks %q:\n%s", want, page)
		}
	}
	_, page = get(t, c, s.URL+"/customers?q=孙六")
	if !strings.Contains(page, "孙六") {
		t.Fatal("the imported customer is not in the list")
	}

	resp, page = upload(t, c, s.URL+"/imports", map[string]string{"kind": "customers"}, "客户.csv", file)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "这个文件已经导入过了") {
		t.Fatalf("the same file twice: %d\n%s", resp.StatusCode, page)
	}
	resp, page = upload(t, c, s.URL+"/imports", map[string]string{"kind": "customers", "dry_run": "1"}, "坏.csv", "电话\n138\n")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "no column for name") || !strings.Contains(page, `id="i-dry" name="dry_run" value="1" checked`) {
		t.Fatalf("a file without names: %d\n%s", resp.StatusCode, page)
	}
	_, page = get(t, c, s.URL+"/imports")
	golden(t, "imports", page)

	if code, _ := get(t, s.client(t, "auditor"), s.URL+"/imports"); code != http.StatusForbidden {
		t.Fatalf("an auditor opened the imports page: %d", code)
	}
}

func TestDuplicatePages(t *testing.T) {
	s := mustSite(t)
	c := s.client(t, "wangli")
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	twin := &kewei.Customer{Name: "张三", Phones: []kewei.Phone{{Number: "138-1234-5678"}}, Email: "twin@example.com", OwnerID: s.ids["wangli"]}
	if err := s.svc.Customers.CreateCustomer(sys, twin); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, c, s.URL+"/customers/"+itoa64(twin.ID))
	if !strings.Contains(page, "可能与其他客户重复") || !strings.Contains(page, "/duplicates?customer="+itoa64(twin.ID)) {
		t.Fatalf("no duplicate note on the customer page:\n%s", page)
	}
	_, page = get(t, c, s.URL+"/duplicates")
	if !strings.Contains(page, "电话相同") || !strings.Contains(page, "合并，保留左边") {
		t.Fatalf("duplicates page:\n%s", page)
	}
	golden(t, "duplicates", page)
	resp, err := c.PostForm(s.URL+"/duplicates/merge", url.Values{"keep_id": {itoa64(s.ids["张三"])}, "keep_version": {"1"},
		"drop_id": {itoa64(twin.ID)}, "drop_version": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.RawQuery != "done=merged" {
		t.Fatalf("merge ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	_, page = get(t, c, s.URL+"/customers/"+itoa64(s.ids["张三"]))
	if !strings.Contains(page, "zhangsan@example.com") {
		t.Fatal("the kept customer lost its email")
	}
	_, page = get(t, c, s.URL+"/duplicates")
	if !strings.Contains(page, "撤销合并") || !strings.Contains(page, "没有待处理的重复客户") {
		t.Fatalf("after the merge:\n%s", page)
	}
	undo := regexp.MustCompile(`/merges/(\d+)/undo`).FindStringSubmatch(page)
	resp, err = c.PostForm(s.URL+undo[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, _ := get(t, c, s.URL+"/customers/"+itoa64(twin.ID)); code != 200 {
		t.Fatalf("the merged customer after the undo: %d", code)
	}
}
