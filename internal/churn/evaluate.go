package churn

import (
	"fmt"
	"math/rand/v2"
)

// Evaluation is how a model trained on some rows did on others.
type Evaluation struct {
	Algorithm Algorithm `json:"algorithm"`
	Metrics
	// Folds holds each fold's figures under cross-validation; the
	// figures above are then their mean.
	Folds []Metrics `json:"folds,omitempty"`
}

// Holdout trains on train and measures on test.
func Holdout(train, test *Dataset, a Algorithm, p Params) (*Evaluation, error) {
	m, err := Train(train, a, p)
	if err != nil {
		return nil, err
	}
	pr, err := m.Predict(test)
	if err != nil {
		return nil, err
	}
	if test.Label == nil {
		return nil, fmt.Errorf("the test rows have no labels")
	}
	return &Evaluation{Algorithm: m.Algorithm, Metrics: Measure(test.Label, pr)}, nil
}

// CrossValidate trains k times, each time holding out one of k stratified
// folds, and reports each fold and their mean.
func CrossValidate(d *Dataset, k int, a Algorithm, p Params) (*Evaluation, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validation needs at least 2 folds")
	}
	if err := d.Check(); err != nil {
		return nil, err
	}
	if d.Label == nil {
		return nil, fmt.Errorf("the rows have no labels")
	}
	folds := Folds(d.Label, k, p.Seed)
	ev := &Evaluation{Algorithm: a}
	if a == "" {
		ev.Algorithm = Blend
	}
	for f := range k {
		var train []int
		for g := range k {
			if g != f {
				train = append(train, folds[g]...)
			}
		}
		r, err := Holdout(d.Subset(train), d.Subset(folds[f]), a, p)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f+1, err)
		}
		ev.Folds = append(ev.Folds, r.Metrics)
	}
	for _, m := range ev.Folds {
		ev.ROCAUC += m.ROCAUC / float64(k)
		ev.PRAUC += m.PRAUC / float64(k)
		ev.Accuracy += m.Accuracy / float64(k)
		ev.F1 += m.F1 / float64(k)
		ev.LogLoss += m.LogLoss / float64(k)
		ev.Rows += m.Rows
		ev.Positive += m.Positive
	}
	return ev, nil
}

// Folds deals the rows into k folds, each label dealt in turn after a
// seeded shuffle, so every fold has the same share of each label.
func Folds(y []float64, k int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, 0x666f6c6473))
	folds := make([][]int, k)
	next := 0
	for _, label := range []float64{0, 1} {
		var rows []int
		for i, v := range y {
			if v == label {
				rows = append(rows, i)
			}
		}
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		for _, i := range rows {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	return folds
}
