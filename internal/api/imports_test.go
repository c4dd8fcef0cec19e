package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/xuri/excelize/v2"
)

// get fetches a file and returns its status, type and body.
func (ts *testServer) get(t *testing.T, token, path string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func TestImportThroughTheAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		file := "客户编号,姓名,手机\nC1,张三,13812345678\nC2,李四,12\n"
		status, out, _ := ts.do(t, ts.consultant, "POST", "/api/v1/imports?kind=customers&file_name=客户.csv", file)
		if status != http.StatusAccepted || out["status"] != "running" {
			t.Fatalf("start: %d %v", status, out)
		}
		id := int64(out["id"].(float64))
		deadline := time.Now().Add(10 * time.Second)
		for out["status"] == "running" && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			_, out, _ = ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/imports/%d", id), "")
		}
		if out["status"] != "done" || out["imported"] != 1.0 || out["failed"] != 1.0 || out["progress"] != 1.0 {
			t.Fatalf("finished: %v", out)
		}
		code, ctype, body := ts.get(t, ts.consultant, fmt.Sprintf("/api/v1/imports/%d/report", id))
		if code != 200 || !strings.HasPrefix(ctype, "text/csv") || !strings.Contains(string(body), "行号,列,值") ||
			!strings.Contains(string(body), "3,手机,12,invalid_format") {
			t.Fatalf("report %d %s %q", code, ctype, body)
		}
		if code, _, _ := ts.get(t, ts.admin, fmt.Sprintf("/api/v1/imports/%d/report", id)); code != 200 {
			t.Fatalf("administrators read every report: %d", code)
		}
		status, out, _ = ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/imports/%d/cancel", id), "")
		if status != http.StatusConflict {
			t.Fatalf("cancelling a finished import: %d %v", status, out)
		}
		status, out, _ = ts.do(t, ts.consultant, "POST", "/api/v1/imports?kind=customers", file)
		if status != http.StatusConflict {
			t.Fatalf("the same file twice: %d %v", status, out)
		}
		status, out, _ = ts.do(t, ts.consultant, "POST", "/api/v1/imports?kind=customers", "电话\n138\n")
		if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(out), "no column for name") {
			t.Fatalf("a file without names: %d %v", status, out)
		}
		status, out, _ = ts.do(t, ts.consultant, "POST", "/api/v1/imports?kind=pets", file)
		if status != http.StatusBadRequest {
			t.Fatalf("an unknown kind: %d %v", status, out)
		}
		status, list, _ := ts.do(t, ts.consultant, "GET", "/api/v1/imports", "")
		if status != 200 || list != nil {
			t.Fatalf("list: %d", status) // a JSON array, checked against the document by do
		}

		code, ctype, body = ts.get(t, ts.consultant, "/api/v1/imports/template?kind=transactions&format=xlsx&lang=en")
		if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
			t.Fatalf("xlsx template: %d %s", code, ctype)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 1 || rows[0][0] != "customer" || rows[0][1] != "date" {
			t.Fatalf("xlsx template rows %v", rows)
		}
		code, _, body = ts.get(t, ts.consultant, "/api/v1/imports/template?kind=customers")
		if code != 200 || !strings.HasPrefix(string(body), "\xEF\xBB\xBF客户编号,姓名,手机") {
			t.Fatalf("csv template: %d %q", code, body)
		}
	})
}

func TestExportThroughTheAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		for _, body := range []string{`{"name":"我的客户","phones":[{"number":"13812345678"}],"tags":["车主"]}`} {
			if status, out, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", body); status != 201 {
				t.Fatalf("create: %d %v", status, out)
			}
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/customers", `{"name":"别人的客户","owner_id":0}`); status != 201 {
			t.Fatalf("create: %d %v", status, out)
		}
		code, ctype, body := ts.get(t, ts.consultant, "/api/v1/customers/export?tag=车主&sort=name")
		if code != 200 || !strings.HasPrefix(ctype, "text/csv") || !strings.Contains(string(body), "我的客户") ||
			strings.Contains(string(body), "别人的客户") || !strings.Contains(string(body), "13812345678") {
			t.Fatalf("consultant's export: %d %s\n%s", code, ctype, body)
		}
		code, _, body = ts.get(t, ts.admin, "/api/v1/customers/export?format=xlsx")
		if code != 200 || !bytes.HasPrefix(body, []byte("PK")) {
			t.Fatalf("xlsx export: %d", code)
		}
		code, _, body = ts.get(t, ts.consultant, "/api/v1/customers/export?format=vcf")
		if code != 200 || !strings.Contains(string(body), "FN:我的客户") {
			t.Fatalf("vcard export: %d %s", code, body)
		}
		status, out, _ := ts.do(t, ts.consultant, "GET", "/api/v1/customers/export?format=pdf", "")
		if status != 400 {
			t.Fatalf("a pdf export: %d %v", status, out)
		}
		status, out, _ = ts.do(t, ts.admin, "GET", "/api/v1/audit?action=export", "")
		if status != 200 || out["total"] != 3.0 || !strings.Contains(fmt.Sprint(out), "车主") {
			t.Fatalf("exports in the audit log: %d %v", status, out)
		}
	})
}
