package churn

import (
	"encoding/csv"
	"os"
	"testing"
)

const telcoPath = "../../../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv"

func mustReadCSV(tb testing.TB, path string, c Columns) *Dataset {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("%s is absent (%v): the real-data tests need ../shared/data beside the checkout", path, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	d, err := FromRecords(recs[0], recs[1:], c)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestTelcoCV checks the published bar on the IBM Telco sample: 5-fold
// stratified cross-validated ROC AUC of at least 0.85 with the defaults.
func TestTelcoCV(t *testing.T) {
	d := mustReadCSV(t, telcoPath, Columns{Label: "Churn", ID: "customerID"})
	for _, a := range []Algorithm{Trees, Linear, Blend} {
		ev, err := CrossValidate(d, 5, a, DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: ROC AUC %.4f PR AUC %.4f accuracy %.4f F1 %.4f", a, ev.ROCAUC, ev.PRAUC, ev.Accuracy, ev.F1)
		if a == Blend && ev.ROCAUC < 0.85 {
			t.Errorf("blend ROC AUC %.4f, want at least 0.85", ev.ROCAUC)
		}
	}
}
