package api_test

import (
	"strings"
	"testing"

	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestScorecardExportIsAudited(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		status, sc, _ := ts.do(t, ts.consultant, "GET", "/api/v1/scorecard?from=2026-11-01&to=2026-11-30", "")
		if status != 200 || len(sc["people"].([]any)) != 1 {
			t.Fatalf("a consultant's scorecard: %d %v", status, sc)
		}
		if status, out, _ := ts.do(t, ts.admin, "GET", "/api/v1/scorecard?from=2026-11-30&to=2026-11-01", ""); status != 400 {
			t.Fatalf("a backwards period: %d %v", status, out)
		}
		status, _, h := ts.do(t, ts.admin, "GET", "/api/v1/scorecard/export?from=2026-11-01&to=2026-11-30", "")
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "scorecard-20261101-20261201.csv") {
			t.Fatalf("export: %d %v", status, h)
		}
		_, audit, _ := ts.do(t, ts.admin, "GET", "/api/v1/audit?action=export", "")
		if items := audit["items"].([]any); len(items) != 1 || items[0].(map[string]any)["object_type"] != "scorecard" {
			t.Fatalf("the export is not audited: %v", audit)
		}
	})
}
