package value

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParetoTiers(t *testing.T) {
	// 200 customers worth 200, 199, … 1: A is the top 2, B the next 8, C
	// the next 30, D the rest.
	var s []Score
	for i := 1; i <= 200; i++ {
		s = append(s, Score{CustomerID: int64(i), Value: float64(i)})
	}
	tiers := Pareto(s, len(s), DefaultShares)
	count := map[string]int{}
	for _, v := range tiers {
		count[v]++
	}
	if count[A] != 2 || count[B] != 8 || count[C] != 30 || count[D] != 160 {
		t.Fatalf("tier counts %v, want A 2, B 8, C 30, D 160", count)
	}
	if tiers[200] != A || tiers[198] != B || tiers[191] != B || tiers[161] != C || tiers[160] != D {
		t.Errorf("wrong tiers at the cut-offs: %v %v %v %v %v", tiers[200], tiers[198], tiers[191], tiers[161], tiers[160])
	}
}

func TestParetoTiesShareTheBetterTier(t *testing.T) {
	// Three customers tie at the top of 100: all three are A, though A is
	// one customer; nobody worth nothing is above D.
	s := []Score{{1, 50}, {2, 50}, {3, 50}}
	for i := 4; i <= 100; i++ {
		s = append(s, Score{int64(i), 0})
	}
	tiers := Pareto(s, len(s), DefaultShares)
	for _, id := range []int64{1, 2, 3} {
		if tiers[id] != A {
			t.Errorf("customer %d is %s, want A with the others tied", id, tiers[id])
		}
	}
	if tiers[50] != D {
		t.Errorf("a customer worth nothing is %s, want D", tiers[50])
	}
}

func TestSharesAndBandsChecked(t *testing.T) {
	if err := (Shares{A: 0.05, B: 0.01, C: 0.2}).Check(); err == nil {
		t.Error("shrinking shares accepted")
	}
	if err := DefaultShares.Check(); err != nil {
		t.Error(err)
	}
	bands := []Band{{100000, C, "优质"}, {200000, B, "重点"}, {300000, A, "VIP"}}
	if err := CheckBands(bands); err != nil {
		t.Fatal(err)
	}
	if err := CheckBands([]Band{{2, A, ""}, {1, B, ""}}); err == nil {
		t.Error("bands out of order accepted")
	}
	for v, want := range map[float64]string{99999: "", 100000: C, 250000: B, 300000: A, 1e9: A} {
		b, ok := Banded(v, bands)
		if ok != (want != "") || b.Tier != want {
			t.Errorf("%.0f is in band %q (%v), want %q", v, b.Tier, ok, want)
		}
	}
}

func TestRFMQuintilesAndTies(t *testing.T) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var acts []Activity
	for i := 0; i < 10; i++ {
		acts = append(acts, Activity{CustomerID: int64(i), Last: asOf.AddDate(0, 0, -10*i), Count: 1, Amount: float64(100 * (i + 1))})
	}
	acts[9].Count = 4 // the one regular buyer
	got := ScoreRFM(acts, asOf)
	if got[0].R != 5 || got[9].R != 1 || got[4].R != 3 {
		t.Errorf("recency scores %d %d %d, want 5 3 1 for the newest, middle and oldest", got[0].R, got[4].R, got[9].R)
	}
	for i := 0; i < 9; i++ {
		if got[i].F != 1 {
			t.Errorf("customer %d with one purchase like eight others has F %d, want the shared 1", i, got[i].F)
		}
	}
	if got[9].F != 5 || got[9].M != 5 || got[0].M != 1 {
		t.Errorf("F %d, M %d for the regular and M %d for the smallest, want 5 5 1", got[9].F, got[9].M, got[0].M)
	}
	if got[9].Segment != CannotLose {
		t.Errorf("a long-gone big spender is %s, want %s", got[9].Segment, CannotLose)
	}
	if got[0].Segment != NewCustomers {
		t.Errorf("a fresh small buyer is %s, want %s", got[0].Segment, NewCustomers)
	}
}

func TestSegmentsCoverTheGrid(t *testing.T) {
	seen := map[string]bool{}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for m := 1; m <= 5; m++ {
				seen[Segment(r, f, m)] = true
			}
		}
	}
	for _, s := range SegmentNames {
		if !seen[s] {
			t.Errorf("segment %s is never given", s)
		}
	}
	if Segment(5, 5, 5) != Champions || Segment(1, 1, 1) != Lost || Segment(1, 5, 5) != CannotLose {
		t.Error("the corners of the grid are misnamed")
	}
}

func TestFitRefusesThinData(t *testing.T) {
	s := make([]Summary, 200)
	for i := range s {
		s[i] = Summary{CustomerID: int64(i), T: 30}
	}
	if _, err := FitBGNBD(s); err == nil || !strings.Contains(err.Error(), "repeat purchase") {
		t.Errorf("a fit on customers who never came back: %v", err)
	}
	if _, err := FitGammaGamma(s); err == nil {
		t.Error("a spend fit without repeat buyers succeeded")
	}
	if _, err := FitBGNBD([]Summary{{X: 2, Tx: 40, T: 30}}); err == nil {
		t.Error("recency beyond age accepted")
	}
}

func TestLifetimeValue(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	keen := Summary{X: 10, Tx: 38, T: 39, Mean: 40}
	gone := Summary{X: 10, Tx: 2, T: 39, Mean: 40}
	if a, b := LifetimeValue(bg, gg, keen, 12, 0.1), LifetimeValue(bg, gg, gone, 12, 0.1); !(a > 10*b && b >= 0) {
		t.Errorf("12-month value %.2f for a regular and %.2f for one who stopped: the regular should be worth far more", a, b)
	}
	if nd, d := LifetimeValue(bg, gg, keen, 12, 0), LifetimeValue(bg, gg, keen, 12, 0.5); !(d < nd) {
		t.Errorf("discounting did not lower the value: %.2f vs %.2f", d, nd)
	}
	if p := bg.Alive(gone); !(p > 0 && p < bg.Alive(keen)) {
		t.Errorf("P(alive) %.3f for the one who stopped, %.3f for the regular", p, bg.Alive(keen))
	}
}

func TestParetoOfAPopulation(t *testing.T) {
	// Ten buyers among a thousand customers: the top 1% is ten customers,
	// so every buyer is A.
	var s []Score
	for i := 1; i <= 10; i++ {
		s = append(s, Score{CustomerID: int64(i), Value: float64(i)})
	}
	tiers := Pareto(s, 1000, DefaultShares)
	for i := int64(1); i <= 10; i++ {
		if tiers[i] != A {
			t.Errorf("buyer %d is %s among 1000 customers, want A", i, tiers[i])
		}
	}
}

func TestFitFindsSimulatedParameters(t *testing.T) {
	want := BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}
	s := Simulate(want, 20000, 52, 7)
	got, err := FitBGNBD(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"r", got.R, want.R}, {"alpha", got.Alpha, want.Alpha}, {"a", got.A, want.A}, {"b", got.B, want.B}} {
		if math.Abs(c.got-c.want) > 0.2*c.want {
			t.Errorf("%s = %.3f from 20,000 simulated customers, want %.3f within 20%%", c.name, c.got, c.want)
		}
	}
}

func BenchmarkFitBGNBD100k(b *testing.B) {
	s := Simulate(BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, 100000, 78, 1)
	for b.Loop() {
		if _, err := FitBGNBD(s); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParetoOfAgreesWithPareto(t *testing.T) {
	var s []Score
	var vals []float64
	for i := 1; i <= 500; i++ {
		v := float64((i * 37) % 91) // many ties
		s = append(s, Score{CustomerID: int64(i), Value: v})
		vals = append(vals, v)
	}
	want := Pareto(append([]Score(nil), s...), 800, DefaultShares)
	got := ParetoOf(vals, 800, DefaultShares)
	for i, v := range got {
		if want[int64(i+1)] != v {
			t.Fatalf("customer %d: ParetoOf says %s, Pareto %s", i+1, v, want[int64(i+1)])
		}
	}
}
