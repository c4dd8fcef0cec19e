package recommend

import (
	"encoding/csv"
	"os"
	"testing"
	"time"
)

const retailPath = "../../../shared/data/online_retail_lines_2010-12_to_2011-08.csv"

func mustRetail(tb testing.TB) []Line {
	tb.Helper()
	f, err := os.Open(retailPath)
	if err != nil {
		tb.Skipf("%s is absent (%v): the real-data tests need ../shared/data beside the checkout", retailPath, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []Line
	for _, r := range recs[1:] {
		at, err := time.Parse("2006-01-02 15:04:05", r[3])
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Line{Customer: r[5], Product: r[1], At: at})
	}
	return out
}

// TestRetailHoldout trains on the first six months of the Online Retail
// lines and judges ten recommendations on the next three, beside the
// popularity baseline.
func TestRetailHoldout(t *testing.T) {
	lines := mustRetail(t)
	cut := time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC)
	var train, test []Line
	for _, l := range lines {
		if l.At.Before(cut) {
			train = append(train, l)
		} else {
			test = append(test, l)
		}
	}
	for _, newOnly := range []bool{true, false} {
		ev, _ := Evaluate(train, test, 10, newOnly, Options{})
		t.Logf("new only %v: %d customers, hit@10 %.3f (popularity %.3f), precision %.3f, recall %.3f",
			newOnly, ev.Customers, ev.HitRate, ev.Popularity.HitRate, ev.Precision, ev.Recall)
		if ev.HitRate <= ev.Popularity.HitRate {
			t.Errorf("new only %v: hit@10 %.3f does not beat popularity %.3f", newOnly, ev.HitRate, ev.Popularity.HitRate)
		}
	}
}
