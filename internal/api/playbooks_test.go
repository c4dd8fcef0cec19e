package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestPlaybooksAndTasksThroughTheAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		_, c, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", `{"name":"张三","stage":"customer"}`)
		delivered := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
		if status, out, _ := ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/customers/%.0f/holdings", c["id"]),
			fmt.Sprintf(`{"product":"途观L","acquired_on":"%s"}`, delivered)); status != 201 {
			t.Fatalf("holding: %d %v", status, out)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/playbooks", `{"template":"no_such"}`); status != 400 {
			t.Fatalf("an unknown template: %d %v", status, out)
		}
		status, pb, _ := ts.do(t, ts.admin, "POST", "/api/v1/playbooks", `{"template":"dealership_delivery","enabled":true}`)
		if status != 201 || pb["version"] != 1.0 || len(pb["steps"].([]any)) != 8 {
			t.Fatalf("playbook: %d %v", status, pb)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/task-runs", `{"now":"yesterday"}`); status != 400 {
			t.Fatalf("a bad now: %d %v", status, out)
		}
		status, run, _ := ts.do(t, ts.admin, "POST", "/api/v1/task-runs", `{}`)
		if status != 200 || run["planned"] != 2.0 {
			t.Fatalf("run: %d %v (want the first call and the letter)", status, run)
		}
		status, list, _ := ts.do(t, ts.consultant, "GET", "/api/v1/tasks?mine=true", "")
		items := list["items"].([]any)
		if status != 200 || len(items) != 2 {
			t.Fatalf("my tasks: %d %v", status, list)
		}
		task := items[0].(map[string]any)
		path := fmt.Sprintf("/api/v1/tasks/%.0f/complete", task["id"])
		if status, out, _ := ts.do(t, ts.consultant, "POST", path, `{"summary":"首次回访，客户满意"}`); status != 200 || out["status"] != "done" {
			t.Fatalf("complete: %d %v", status, out)
		}
		if status, _, _ := ts.do(t, ts.consultant, "POST", path, `{}`); status != 409 {
			t.Fatalf("completing twice: %d", status)
		}
		status, tl, _ := ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/customers/%.0f/timeline", c["id"]), "")
		if status != 200 || len(tl["items"].([]any)) < 2 {
			t.Fatalf("the timeline lacks the logged call: %v", tl)
		}
		if status, out, _ := ts.do(t, ts.admin, "PUT", fmt.Sprintf("/api/v1/playbooks/%.0f", pb["id"]),
			`{"name":"只寄信","enabled":true,"version":1,"steps":[{"key":"letter","trigger":"date","date":"delivery","offset_days":1,"action":"letter"}]}`); status != 200 || out["version"] != 2.0 {
			t.Fatalf("new version: %d %v", status, out)
		}
		if status, out, _ := ts.do(t, ts.admin, "PUT", fmt.Sprintf("/api/v1/playbooks/%.0f", pb["id"]),
			`{"name":"旧版","enabled":true,"version":1,"steps":[{"key":"x","trigger":"date","date":"delivery","action":"call"}]}`); status != 409 {
			t.Fatalf("a stale version: %d %v", status, out)
		}
	})
}
