package api_test

import (
	"fmt"
	"testing"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestDuplicatesAndMergeThroughTheAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		_, a, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", `{"name":"张三","phones":[{"number":"13812345678"}]}`)
		_, b, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", `{"name":"张三","phones":[{"number":"138-1234-5678"}],"email":"zs@example.com"}`)
		status, list, _ := ts.do(t, ts.consultant, "GET", "/api/v1/duplicates", "")
		if status != 200 || list["total"] != 1.0 {
			t.Fatalf("duplicates: %d %v", status, list)
		}
		pair := list["items"].([]any)[0].(map[string]any)
		if pair["reasons"].([]any)[0] != "phone" || pair["a"].(map[string]any)["id"] != a["id"] {
			t.Fatalf("pair %v", pair)
		}
		body := fmt.Sprintf(`{"keep_id":%.0f,"keep_version":1,"drop_id":%.0f,"drop_version":1}`, a["id"], b["id"])
		status, m, _ := ts.do(t, ts.consultant, "POST", "/api/v1/merges", body)
		if status != 201 || m["filled"].([]any)[0] != "email" {
			t.Fatalf("merge: %d %v", status, m)
		}
		if status, _, _ := ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/customers/%.0f", b["id"]), ""); status != 404 {
			t.Fatalf("the merged customer: %d", status)
		}
		if status, out, _ := ts.do(t, ts.consultant, "GET", "/api/v1/duplicates", ""); status != 200 || out["total"] != 0.0 {
			t.Fatalf("duplicates after the merge: %v", out)
		}
		status, m, _ = ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/merges/%.0f/undo", m["id"]), "")
		if status != 200 || m["undone_at"] == nil {
			t.Fatalf("undo: %d %v", status, m)
		}
		if status, c, _ := ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/customers/%.0f", b["id"]), ""); status != 200 || c["email"] != "zs@example.com" {
			t.Fatalf("the customer after the undo: %d %v", status, c)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/duplicates/scan", ""); status != 200 || out["found"] != 0.0 {
			t.Fatalf("scan: %d %v", status, out)
		}
		if status, _, _ := ts.do(t, ts.consultant, "POST", "/api/v1/duplicates/scan", ""); status != 403 {
			t.Fatalf("a consultant's scan: %d", status)
		}
	})
}
