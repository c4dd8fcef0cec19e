package churn

import "math"

// blendShare picks the trees' weight in the blend, in steps of a tenth,
// by the ROC AUC of the out-of-fold scores; on a tie the more even blend
// wins.
func blendShare(y, tree, linear []float64) float64 {
	best, bestAUC := 0.5, -1.0
	s := make([]float64, len(y))
	for step := 0; step <= 10; step++ {
		a := float64(step) / 10
		for k := range s {
			s[k] = a*tree[k] + (1-a)*linear[k]
		}
		auc := ROCAUC(y, s)
		if auc > bestAUC+1e-9 || (math.Abs(auc-bestAUC) <= 1e-9 && math.Abs(a-0.5) < math.Abs(best-0.5)) {
			best, bestAUC = a, auc
		}
	}
	return best
}

// platt fits a scale and a shift (Platt scaling) mapping out-of-fold
// scores s to probabilities, so a probability of 0.3 means three in ten
// such customers leave even though the classes were weighed in training.
func platt(y, s []float64) (scale, shift float64) {
	a, c := 1.0, 0.0
	// Newton's method on the two parameters, with a little ridge so
	// perfectly separated rows cannot send them off.
	const ridge = 1e-3
	for range 50 {
		var ga, gc, haa, hac, hcc float64
		for k := range s {
			p := sigmoid(a*s[k] + c)
			r := p - y[k]
			h := math.Max(p*(1-p), 1e-12)
			ga += r * s[k]
			gc += r
			haa += h * s[k] * s[k]
			hac += h * s[k]
			hcc += h
		}
		ga += ridge * (a - 1)
		haa += ridge
		hcc += ridge
		det := haa*hcc - hac*hac
		if det <= 0 {
			break
		}
		da := (hcc*ga - hac*gc) / det
		dc := (haa*gc - hac*ga) / det
		a, c = a-da, c-dc
		if math.Abs(da) < 1e-9 && math.Abs(dc) < 1e-9 {
			break
		}
	}
	if a > 0 && !math.IsNaN(a) && !math.IsNaN(c) {
		return a, c
	}
	return 1, 0
}

// meanTerms is each feature's mean term in the regression over the rows.
func (l *Logistic) meanTerms(binners []*Binner, d *Dataset, b *binned, rows []int) []float64 {
	out := make([]float64, len(binners))
	for j := range binners {
		s := 0.0
		for _, i := range rows {
			s += l.term(binners, d, b, j, i)
		}
		out[j] = s / float64(len(rows))
	}
	return out
}

// term is feature j's term in the regression's score of row i.
func (l *Logistic) term(binners []*Binner, d *Dataset, b *binned, j, i int) float64 {
	if binners[j].Kind == Categorical {
		return l.Levels[j][b.cols[j][i]]
	}
	v := d.Features[j].Num[i]
	if math.IsNaN(v) {
		return l.Missing[j]
	}
	return l.Weight[j]*l.standard(j, v) + l.Steps[j][l.Groups[j][b.cols[j][i]]]
}
