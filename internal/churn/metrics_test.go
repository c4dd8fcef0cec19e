package churn

import (
	"math"
	"testing"
)

func TestMetricsByHand(t *testing.T) {
	y := []float64{0, 0, 1, 1, 0, 1}
	p := []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.9}
	// Pairs (positive, negative): 9; the positive scores higher in
	// 0.35>0.1, 0.8>all three, 0.9>all three = 7, and 0.35 ties no one.
	if got := ROCAUC(y, p); math.Abs(got-7.0/9) > 1e-12 {
		t.Errorf("ROC AUC %v, want 7/9", got)
	}
	// A tie between a positive and a negative counts half.
	if got := ROCAUC([]float64{0, 1}, []float64{0.5, 0.5}); got != 0.5 {
		t.Errorf("ROC AUC of a tie %v, want 0.5", got)
	}
	// Descending: 0.9(+) 0.8(+) 0.4,0.4(-,-) 0.35(+) 0.1(-): precision at
	// each recall step: 1, 1, then 3/5 at the third positive.
	if got, want := AveragePrecision(y, p), (1.0+1+3.0/5)/3; math.Abs(got-want) > 1e-12 {
		t.Errorf("average precision %v, want %v", got, want)
	}
	m := Measure(y, p)
	// At 0.5: predicted positive 0.8, 0.9 (both right); 0.35 missed.
	if m.Accuracy != 5.0/6 || math.Abs(m.F1-2*2.0/(2*2+0+1)) > 1e-12 {
		t.Errorf("accuracy %v F1 %v", m.Accuracy, m.F1)
	}
	if c := Calibration(y, p); len(c) != 6 || c[5].Predicted != 0.9 || c[5].Observed != 1 {
		t.Errorf("calibration %+v", c)
	}
}

func TestFolds(t *testing.T) {
	y := make([]float64, 103)
	for i := range 31 {
		y[i] = 1
	}
	folds := Folds(y, 5, 1)
	seen := map[int]bool{}
	for _, f := range folds {
		pos := 0
		for _, i := range f {
			if seen[i] {
				t.Fatalf("row %d in two folds", i)
			}
			seen[i] = true
			pos += int(y[i])
		}
		if pos < 6 || pos > 7 || len(f) < 20 || len(f) > 21 {
			t.Errorf("fold of %d rows with %d positive", len(f), pos)
		}
	}
	if len(seen) != 103 {
		t.Errorf("%d rows dealt, want 103", len(seen))
	}
}

func TestFromRecords(t *testing.T) {
	header := []string{"\ufeffid", "age", "plan", "left"}
	rows := [][]string{{"a", "30", "basic", "Yes"}, {"b", " ", "pro", "No"}, {"c", "41", "", "No"}}
	d, err := FromRecords(header, rows, Columns{Label: "left", ID: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Features) != 2 || d.Features[0].Kind != Numeric || !math.IsNaN(d.Features[0].Num[1]) ||
		d.Features[1].Kind != Categorical || d.Label[0] != 1 || d.Label[1] != 0 || d.IDs[2] != "c" {
		t.Errorf("read %+v", d)
	}
	d, err = FromRecords([]string{"x", "Attrition_Flag"}, [][]string{{"1", "Existing Customer"}, {"2", "Attrited Customer"}}, Columns{Label: "Attrition_Flag"})
	if err != nil || d.Label[0] != 0 || d.Label[1] != 1 {
		t.Errorf("attrition labels %v %v", d, err)
	}
	for _, c := range []struct {
		name string
		rows [][]string
		cols Columns
	}{
		{"no such label", rows, Columns{Label: "churn"}},
		{"short row", [][]string{{"a", "1"}}, Columns{Label: "left"}},
		{"blank label", [][]string{{"a", "1", "x", ""}}, Columns{Label: "left"}},
		{"unknown positive", rows, Columns{Label: "left", Positive: "Maybe"}},
		{"ambiguous label", [][]string{{"a", "1", "x", "red"}, {"b", "1", "x", "blue"}}, Columns{Label: "left"}},
		{"drop unknown", rows, Columns{Label: "left", Drop: []string{"nope"}}},
	} {
		if _, err := FromRecords(header, c.rows, c.cols); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
