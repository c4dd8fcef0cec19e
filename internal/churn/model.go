package churn

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Algorithm names a model's kind.
type Algorithm string

// Algorithms.
const (
	// Trees is the gradient-boosted trees alone.
	Trees Algorithm = "gbdt"
	// Linear is the logistic regression alone.
	Linear Algorithm = "logistic"
	// Blend averages the two on the logit scale, weighted by how well
	// each did on the held-out rows.
	Blend Algorithm = "blend"
)

// Model is a trained churn model: how it bins each feature, its trees and
// regression, how they are blended, and how the blend's score becomes a
// calibrated probability.
type Model struct {
	Algorithm Algorithm `json:"algorithm"`
	Params    Params    `json:"params"`
	Binners   []*Binner `json:"binners"`
	Trees     *Boosted  `json:"trees,omitempty"`
	Linear    *Logistic `json:"linear,omitempty"`
	// TreeShare is the trees' weight in the blend (1 for trees alone,
	// 0 for the regression alone).
	TreeShare float64 `json:"tree_share"`
	// LinearMean is each feature's mean term in the regression, its
	// expected contribution.
	LinearMean []float64 `json:"linear_mean,omitempty"`
	// Scale and Shift map the score to a probability:
	// sigmoid(Scale×score + Shift), fitted on the held-out rows.
	Scale float64 `json:"scale"`
	Shift float64 `json:"shift"`
	// Valid is how the models did on the folds they did not see, with
	// the trees' and the regression's ROC AUC alone and the calibration
	// table of those out-of-fold probabilities.
	Valid        Metrics       `json:"valid"`
	TreeROCAUC   float64       `json:"tree_roc_auc,omitempty"`
	LinearROCAUC float64       `json:"linear_roc_auc,omitempty"`
	Calibration  []Bin         `json:"calibration"`
	TrainRows    int           `json:"train_rows"`
	Took         time.Duration `json:"took"`
}

// Train fits a model of algorithm a to the labelled rows of d.
func Train(d *Dataset, a Algorithm, p Params) (*Model, error) {
	start := time.Now()
	if err := d.Check(); err != nil {
		return nil, err
	}
	if d.Label == nil {
		return nil, fmt.Errorf("the rows have no labels to learn from")
	}
	pos := d.Positives()
	if pos < 10 || d.Rows()-pos < 10 {
		return nil, fmt.Errorf("too few examples to learn from: %d who left and %d who stayed (at least 10 of each)", pos, d.Rows()-pos)
	}
	if a == "" {
		a = Blend
	}
	if p.Folds < 2 {
		p.Folds = 2
	}
	m := &Model{Algorithm: a, Params: p, TrainRows: d.Rows()}
	for i := range d.Features {
		m.Binners = append(m.Binners, newBinner(&d.Features[i]))
	}
	b := binAll(m.Binners, d)
	w := weights(d.Label, p.Balanced)
	base := newLogistic(m.Binners, d)
	folds := Folds(d.Label, p.Folds, p.Seed)
	trees := make([]*Boosted, p.Folds)
	linear := make([]*Logistic, p.Folds)
	// Out-of-fold scores: each row scored by the models that did not see it.
	oofTree, oofLinear := make([]float64, d.Rows()), make([]float64, d.Rows())
	errs := make([]error, p.Folds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for f := range p.Folds {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var train []int
			for g, rows := range folds {
				if g != f {
					train = append(train, rows...)
				}
			}
			fp := p
			fp.Seed = p.Seed + uint64(f)
			if a != Linear {
				trees[f] = trainBoosted(m.Binners, b, train, folds[f], d.Label, w, fp)
				for _, i := range folds[f] {
					oofTree[i] = trees[f].raw(b, i)
				}
			}
			if a != Trees {
				if linear[f], errs[f] = trainLogistic(base, m.Binners, d, b, train, d.Label, w); errs[f] != nil {
					return
				}
				for _, i := range folds[f] {
					oofLinear[i] = linear[f].raw(m.Binners, d, b, i)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("the logistic regression: %w", err)
	}
	if a != Linear {
		m.Trees = refit(m.Binners, b, d.Label, w, trees, p)
	}
	if a != Trees {
		m.Linear = averageLogistic(linear)
		all := make([]int, d.Rows())
		for i := range all {
			all[i] = i
		}
		m.LinearMean = m.Linear.meanTerms(m.Binners, d, b, all)
	}
	switch a {
	case Trees:
		m.TreeShare = 1
	case Linear:
		m.TreeShare = 0
	default:
		m.TreeShare = blendShare(d.Label, oofTree, oofLinear)
	}
	oof := make([]float64, d.Rows())
	for i := range oof {
		oof[i] = m.TreeShare*oofTree[i] + (1-m.TreeShare)*oofLinear[i]
	}
	m.Scale, m.Shift = platt(d.Label, oof)
	for i := range oof {
		oof[i] = sigmoid(m.Scale*oof[i] + m.Shift)
	}
	m.Valid = Measure(d.Label, oof)
	m.Calibration = Calibration(d.Label, oof)
	if a != Linear {
		m.TreeROCAUC = ROCAUC(d.Label, oofTree)
	}
	if a != Trees {
		m.LinearROCAUC = ROCAUC(d.Label, oofLinear)
	}
	m.Took = time.Since(start)
	return m, nil
}

// score is the model's uncalibrated score of row i.
func (m *Model) score(d *Dataset, b *binned, i int) float64 {
	s := 0.0
	if m.TreeShare > 0 {
		s += m.TreeShare * m.Trees.raw(b, i)
	}
	if m.TreeShare < 1 {
		s += (1 - m.TreeShare) * m.Linear.raw(m.Binners, d, b, i)
	}
	return s
}

func (m *Model) prob(d *Dataset, b *binned, i int) float64 {
	return sigmoid(m.Scale*m.score(d, b, i) + m.Shift)
}

// Predict is each row's probability of leaving.
func (m *Model) Predict(d *Dataset) ([]float64, error) {
	d, err := m.align(d)
	if err != nil {
		return nil, err
	}
	b := binAll(m.Binners, d)
	out := make([]float64, d.Rows())
	// Rows are independent: each core scores a share of them.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	per := (len(out) + workers - 1) / workers
	for lo := 0; lo < len(out); lo += per {
		hi := min(lo+per, len(out))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = m.prob(d, b, i)
			}
		})
	}
	wg.Wait()
	return out, nil
}

// align orders d's features as the model's, refusing rows that lack one
// or give it as the other kind.
func (m *Model) align(d *Dataset) (*Dataset, error) {
	byName := map[string]int{}
	for j, f := range d.Features {
		byName[f.Name] = j
	}
	out := &Dataset{Label: d.Label, IDs: d.IDs, Features: make([]Feature, len(m.Binners))}
	for j, bn := range m.Binners {
		k, ok := byName[bn.Name]
		if !ok {
			return nil, fmt.Errorf("the rows lack the feature %q", bn.Name)
		}
		f := d.Features[k]
		if f.Kind != bn.Kind {
			return nil, fmt.Errorf("the feature %q is %s, the model was trained on it as %s", bn.Name, f.Kind, bn.Kind)
		}
		out.Features[j] = f
	}
	return out, out.Check()
}

// weights gives each row weight 1, or with balanced the inverse of its
// class's share, halved so the weights still sum to the rows.
func weights(y []float64, balanced bool) []float64 {
	w := make([]float64, len(y))
	pos := 0.0
	for _, v := range y {
		pos += v
	}
	n := float64(len(y))
	for i, v := range y {
		switch {
		case !balanced:
			w[i] = 1
		case v == 1:
			w[i] = n / (2 * pos)
		default:
			w[i] = n / (2 * (n - pos))
		}
	}
	return w
}
