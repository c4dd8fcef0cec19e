package churn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic is n rows whose chance of leaving depends on a number, a
// number often missing, a small category and a category of 300 levels,
// plus a feature of pure noise.
func synthetic(n int, seed uint64) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &Dataset{Features: []Feature{
		{Name: "tenure", Kind: Numeric}, {Name: "spend", Kind: Numeric},
		{Name: "plan", Kind: Categorical}, {Name: "city", Kind: Categorical}, {Name: "noise", Kind: Numeric},
	}}
	plans := []string{"basic", "plus", "pro", "max", ""}
	for range n {
		tenure := rng.Float64() * 72
		spend := math.NaN()
		if rng.Float64() > 0.15 {
			spend = rng.NormFloat64()*20 + 70
		}
		plan := plans[rng.IntN(len(plans))]
		city := fmt.Sprintf("city-%03d", rng.IntN(300))
		z := 1.5 - tenure/20
		if !math.IsNaN(spend) {
			z += (spend - 70) / 25
		} else {
			z += 0.8
		}
		switch plan {
		case "basic":
			z += 0.7
		case "max":
			z -= 0.9
		}
		if city < "city-050" {
			z += 1.2
		}
		y := 0.0
		if rng.Float64() < sigmoid(z) {
			y = 1
		}
		d.Features[0].Num = append(d.Features[0].Num, tenure)
		d.Features[1].Num = append(d.Features[1].Num, spend)
		d.Features[2].Cat = append(d.Features[2].Cat, plan)
		d.Features[3].Cat = append(d.Features[3].Cat, city)
		d.Features[4].Num = append(d.Features[4].Num, rng.Float64())
		d.Label = append(d.Label, y)
	}
	return d
}

func TestTrainLearnsSignal(t *testing.T) {
	train, test := synthetic(6000, 1), synthetic(3000, 2)
	for _, a := range []Algorithm{Trees, Linear, Blend} {
		ev, err := Holdout(train, test, a, DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		// The generating model's own AUC on such rows is about 0.80.
		if ev.ROCAUC < 0.74 {
			t.Errorf("%s: held-out ROC AUC %.3f, want at least 0.74", a, ev.ROCAUC)
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	d := synthetic(2000, 3)
	p := DefaultParams()
	p.Rounds = 100
	var first []byte
	for range 2 {
		m, err := Train(d, Blend, p)
		if err != nil {
			t.Fatal(err)
		}
		m.Took = 0
		b, _ := json.Marshal(m)
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatal("two trainings with one seed gave different models")
		}
	}
}

// TestExplainSumsToScore checks that the base value and the contributions
// add up to the score, for every row and every algorithm, after a JSON
// round trip of the model.
func TestExplainSumsToScore(t *testing.T) {
	d := synthetic(3000, 4)
	p := DefaultParams()
	p.Rounds = 150
	for _, a := range []Algorithm{Trees, Linear, Blend} {
		m, err := Train(d, a, p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back Model
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		rows := d.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 500, 2999})
		ex, err := back.Explain(rows)
		if err != nil {
			t.Fatal(err)
		}
		pr, _ := m.Predict(rows)
		for i, e := range ex {
			s := e.Base
			for _, c := range e.Contributions {
				s += c
			}
			if math.Abs(s-e.Score) > 1e-9 {
				t.Errorf("%s row %d: base+contributions %.12f, score %.12f", a, i, s, e.Score)
			}
			if math.Abs(e.Probability-pr[i]) > 1e-12 {
				t.Errorf("%s row %d: probability %.6f after a round trip, %.6f before", a, i, e.Probability, pr[i])
			}
		}
		// The noise feature matters least on average.
		mean := make([]float64, len(m.Binners))
		all, _ := m.Explain(d)
		for _, e := range all {
			for j, c := range e.Contributions {
				mean[j] += math.Abs(c)
			}
		}
		for j := range 4 {
			if mean[4] >= mean[j] {
				t.Errorf("%s: noise contributes %.1f in all, more than %s's %.1f", a, mean[4], m.Binners[j].Name, mean[j])
			}
		}
	}
}

// TestTreeShapMatchesShapley compares TreeSHAP with Shapley values
// computed by brute force over every subset of features, with the same
// value function: the tree's expected output when only the subset is
// known, unknown features following the training rows' split.
func TestTreeShapMatchesShapley(t *testing.T) {
	d := synthetic(4000, 5)
	p := DefaultParams()
	p.Rounds, p.Leaves, p.Depth = 5, 24, 8
	m, err := Train(d, Trees, p)
	if err != nil {
		t.Fatal(err)
	}
	b := binAll(m.Binners, d)
	nf := len(m.Binners)
	for _, tree := range m.Trees.Trees[:3] {
		for _, i := range []int{0, 7, 42} {
			phi := make([]float64, nf)
			tree.shap(b, i, phi)
			want := bruteShapley(&tree, b, i, nf)
			for j := range phi {
				if math.Abs(phi[j]-want[j]) > 1e-9 {
					t.Fatalf("row %d feature %d: TreeSHAP %.12f, Shapley %.12f", i, j, phi[j], want[j])
				}
			}
		}
	}
}

func bruteShapley(t *Tree, b *binned, i, nf int) []float64 {
	value := func(known uint) float64 {
		var walk func(n int32) float64
		walk = func(n int32) float64 {
			nd := &t.Nodes[n]
			if nd.Feature < 0 {
				return nd.Value
			}
			if known&(1<<nd.Feature) != 0 {
				if nd.Left.has(b.cols[nd.Feature][i]) {
					return walk(nd.Yes)
				}
				return walk(nd.No)
			}
			return (walk(nd.Yes)*t.Nodes[nd.Yes].Cover + walk(nd.No)*t.Nodes[nd.No].Cover) / nd.Cover
		}
		return walk(0)
	}
	fact := func(k int) float64 {
		f := 1.0
		for i := 2; i <= k; i++ {
			f *= float64(i)
		}
		return f
	}
	phi := make([]float64, nf)
	for j := range nf {
		for s := uint(0); s < 1<<nf; s++ {
			if s&(1<<j) != 0 {
				continue
			}
			size := 0
			for k := range nf {
				if s&(1<<k) != 0 {
					size++
				}
			}
			w := fact(size) * fact(nf-size-1) / fact(nf)
			phi[j] += w * (value(s|1<<j) - value(s))
		}
	}
	return phi
}

func TestUnseenAndMissingValues(t *testing.T) {
	d := synthetic(2000, 6)
	p := DefaultParams()
	p.Rounds = 50
	m, err := Train(d, Blend, p)
	if err != nil {
		t.Fatal(err)
	}
	rows := d.Subset([]int{0, 1})
	rows.Features[2].Cat[0] = "a plan never seen"
	rows.Features[3].Cat[1] = ""
	rows.Features[0].Num[1] = math.NaN()
	pr, err := m.Predict(rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range pr {
		if math.IsNaN(v) || v <= 0 || v >= 1 {
			t.Errorf("row %d: probability %v", i, v)
		}
	}
	rows.Features = rows.Features[1:]
	if _, err := m.Predict(rows); err == nil {
		t.Error("rows lacking a feature were scored")
	}
}

func TestTrainRefusesTooFewExamples(t *testing.T) {
	d := synthetic(300, 7)
	for i := range d.Label {
		d.Label[i] = 0
	}
	for i := range 5 {
		d.Label[i] = 1
	}
	if _, err := Train(d, Blend, DefaultParams()); err == nil {
		t.Error("a model was trained from 5 examples of leaving")
	}
}
