package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestTieringThroughTheAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		var ids []float64
		for i := 1; i <= 10; i++ {
			_, c, _ := ts.do(t, ts.consultant, "POST", "/api/v1/customers", fmt.Sprintf(`{"name":"客户%d","province":"广东"}`, i))
			ids = append(ids, c["id"].(float64))
			body := fmt.Sprintf(`{"occurred_at":"%s","amount":%d}`, time.Now().AddDate(0, -1, 0).Format(time.RFC3339), i*100)
			if status, out, _ := ts.do(t, ts.consultant, "POST", fmt.Sprintf("/api/v1/customers/%.0f/transactions", c["id"]), body); status != 201 {
				t.Fatalf("transaction: %d %v", status, out)
			}
		}
		status, rule, _ := ts.do(t, ts.admin, "POST", "/api/v1/tier-rules", `{"name":"新车销售","line":"新车","method":"pareto","metric":"revenue","share_a":0.1,"share_b":0.2,"share_c":0.5,"enabled":true}`)
		if status != 201 || rule["window_months"] != 0.0 {
			t.Fatalf("rule: %d %v", status, rule)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/tier-rules", `{"name":"坏","method":"pareto","share_a":0.5,"share_b":0.1,"share_c":0.2}`); status != 400 {
			t.Fatalf("shrinking shares: %d %v", status, out)
		}
		if status, _, _ := ts.do(t, ts.consultant, "POST", "/api/v1/tier-runs", `{}`); status != 403 {
			t.Fatalf("a consultant started a run: %d", status)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", "/api/v1/tier-runs", `{"window":"forever"}`); status != 400 {
			t.Fatalf("a bad window: %d %v", status, out)
		}
		status, run, _ := ts.do(t, ts.admin, "POST", "/api/v1/tier-runs", `{"window":"all"}`)
		if status != 202 || run["id"] == nil {
			t.Fatalf("run: %d %v", status, run)
		}
		waitRun(t, ts, run["id"].(float64))
		status, rep, _ := ts.do(t, ts.consultant, "GET", "/api/v1/value/report", "")
		if status != 200 || rep["customers"] != 10.0 || rep["revenue"] != 5500.0 {
			t.Fatalf("report: %d %v", status, rep)
		}
		tiers := rep["tiers"].([]any)
		if tiers[0].(map[string]any)["customers"] != 1.0 || tiers[1].(map[string]any)["customers"] != 1.0 || tiers[2].(map[string]any)["customers"] != 3.0 {
			t.Fatalf("tiers %v, want 1 A, 1 B, 3 C", tiers)
		}
		if status, out, _ := ts.do(t, ts.consultant, "GET", "/api/v1/value/migration", ""); status != 400 {
			t.Fatalf("a matrix without from: %d %v", status, out)
		}
		if status, m, _ := ts.do(t, ts.consultant, "GET", "/api/v1/value/migration?from=2020-01-01", ""); status != 200 || m["same"] != 0.0 {
			t.Fatalf("matrix: %d %v", status, m)
		}
		low := ids[0]
		path := fmt.Sprintf("/api/v1/customers/%.0f/tier-override", low)
		if status, _, _ := ts.do(t, ts.consultant, "POST", path, `{"tier":"A","reason":"集团客户","expires_on":"2099-01-01"}`); status != 403 {
			t.Fatalf("a consultant overrode a tier: %d", status)
		}
		if status, out, _ := ts.do(t, ts.admin, "POST", path, `{"tier":"A","reason":"集团客户","expires_on":"2099-01-01"}`); status != 201 {
			t.Fatalf("override: %d %v", status, out)
		}
		if _, c, _ := ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/customers/%.0f", low), ""); c["tier"] != "A" {
			t.Fatalf("tier after the override: %v", c["tier"])
		}
		status, hist, _ := ts.do(t, ts.consultant, "GET", fmt.Sprintf("/api/v1/customers/%.0f/tier-history", low), "")
		if items := hist["items"].([]any); status != 200 || len(items) != 2 || items[0].(map[string]any)["source"] != "override" {
			t.Fatalf("history: %d %v", status, hist)
		}
		if status, _, _ := ts.do(t, ts.admin, "DELETE", path, ""); status != 204 {
			t.Fatalf("lift: %d", status)
		}
		if status, _, _ := ts.do(t, ts.admin, "DELETE", path, ""); status != 404 {
			t.Fatalf("lift twice: %d", status)
		}
	})
}

// waitRun polls the runs until run id is no longer running.
func waitRun(t *testing.T, ts *testServer, id float64) {
	t.Helper()
	for range 250 {
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/tier-runs", nil)
		req.Header.Set("Authorization", "Bearer "+ts.admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var runs []map[string]any
		err = json.NewDecoder(resp.Body).Decode(&runs)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r["id"] == id && r["status"] != "running" {
				if r["status"] != "done" {
					t.Fatalf("the run ended %v", r)
				}
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the run did not finish")
}
