package api_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
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
		if status != 201 || pb["version"] != 1.0 || len(pb["steps"].([]any)) != 11 {
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

func TestCalendarFeed(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		_, c, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", `{"name":"张三","stage":"customer"}`)
		delivered := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
		ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/customers/%.0f/holdings", c["id"]), fmt.Sprintf(`{"product":"车","acquired_on":"%s"}`, delivered))
		ts.do(t, ts.admin, "POST", "/api/v1/playbooks", `{"template":"dealership_delivery","enabled":true}`)
		ts.do(t, ts.admin, "POST", "/api/v1/task-runs", `{}`)
		if status, v, _ := ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/customers/%.0f/visits", c["id"]),
			`{"planned_at":"2027-01-04T02:00:00Z","purpose":"续保洽谈","checklist":["contract"]}`); status != 201 || v["status"] != "planned" {
			t.Fatalf("plan a visit: %d %v", status, v)
		}
		status, feed, _ := ts.do(t, ts.consultant, "POST", "/api/v1/me/calendar", "")
		if status != 201 || !strings.HasPrefix(feed["token"].(string), "kwc_") {
			t.Fatalf("feed: %d %v", status, feed)
		}
		get := func(path string) (int, string) {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		status, ics := get(feed["path"].(string))
		if status != 200 || strings.Count(ics, "BEGIN:VEVENT") != 3 || !strings.Contains(ics, "张三") ||
			!strings.Contains(ics, "DTSTART:20270104T020000Z\r\nDTEND:20270104T030000Z\r\nSUMMARY:拜访 · 张三") || !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") {
			t.Fatalf("ics %d:\n%s", status, ics)
		}
		if status, _ := get("/api/v1/calendar/kwc_nothing.ics"); status != 404 {
			t.Errorf("an unknown feed: %d", status)
		}
		_, again, _ := ts.do(t, ts.consultant, "POST", "/api/v1/me/calendar", "")
		if status, _ := get(feed["path"].(string)); status != 404 || again["token"] == feed["token"] {
			t.Errorf("the old feed still answers after a new one: %d", status)
		}
	})
}
