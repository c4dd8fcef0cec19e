package churn

import (
	"math"
	"slices"
)

// Metrics judge predicted probabilities against labels.
type Metrics struct {
	ROCAUC   float64 `json:"roc_auc"`
	PRAUC    float64 `json:"pr_auc"`
	Accuracy float64 `json:"accuracy"`
	F1       float64 `json:"f1"`
	LogLoss  float64 `json:"log_loss"`
	Rows     int     `json:"rows"`
	Positive int     `json:"positive"`
}

// Measure computes the metrics of probabilities p for labels y; accuracy
// and F1 count a probability of at least one half as "will leave".
func Measure(y, p []float64) Metrics {
	m := Metrics{Rows: len(y), ROCAUC: ROCAUC(y, p), PRAUC: AveragePrecision(y, p)}
	var tp, fp, fn, right int
	for i := range y {
		pos := p[i] >= 0.5
		switch {
		case pos && y[i] == 1:
			tp++
		case pos:
			fp++
		case y[i] == 1:
			fn++
		}
		if pos == (y[i] == 1) {
			right++
		}
		if y[i] == 1 {
			m.Positive++
		}
		q := math.Min(math.Max(p[i], 1e-15), 1-1e-15)
		m.LogLoss -= y[i]*math.Log(q) + (1-y[i])*math.Log(1-q)
	}
	if len(y) > 0 {
		m.Accuracy = float64(right) / float64(len(y))
		m.LogLoss /= float64(len(y))
	}
	if tp > 0 {
		m.F1 = 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	return m
}

// ROCAUC is the area under the ROC curve: the chance that a random
// positive scores above a random negative, ties counting half.
func ROCAUC(y, s []float64) float64 {
	idx := order(s)
	var pos, neg, rankSum float64
	for k := 0; k < len(idx); {
		e := k
		for e < len(idx) && s[idx[e]] == s[idx[k]] {
			e++
		}
		mid := float64(k+e+1) / 2 // average rank, from 1
		for _, i := range idx[k:e] {
			if y[i] == 1 {
				rankSum += mid
				pos++
			} else {
				neg++
			}
		}
		k = e
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// AveragePrecision is the area under the precision-recall curve as the
// mean of the precision at each positive, rows with equal scores taken
// together (as scikit-learn computes it).
func AveragePrecision(y, s []float64) float64 {
	idx := order(s)
	slices.Reverse(idx)
	var total float64
	for _, v := range y {
		total += v
	}
	if total == 0 {
		return math.NaN()
	}
	var tp, seen, ap, lastRecall float64
	for k := 0; k < len(idx); {
		e := k
		for e < len(idx) && s[idx[e]] == s[idx[k]] {
			e++
		}
		for _, i := range idx[k:e] {
			tp += y[i]
			seen++
		}
		recall := tp / total
		ap += (recall - lastRecall) * tp / seen
		lastRecall = recall
		k = e
	}
	return ap
}

// order is the indexes of s from the lowest score up.
func order(s []float64) []int {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case s[a] < s[b]:
			return -1
		case s[a] > s[b]:
			return 1
		}
		return 0
	})
	return idx
}

// Bin is one bin of a calibration table: the mean predicted probability
// of the rows in it beside the share that did leave.
type Bin struct {
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
	Rows      int     `json:"rows"`
}

// Calibration splits the rows into ten bins of equal size by predicted
// probability.
func Calibration(y, p []float64) []Bin {
	idx := order(p)
	const k = 10
	var out []Bin
	for b := range k {
		lo, hi := b*len(idx)/k, (b+1)*len(idx)/k
		if hi <= lo {
			continue
		}
		var sp, sy float64
		for _, i := range idx[lo:hi] {
			sp += p[i]
			sy += y[i]
		}
		n := float64(hi - lo)
		out = append(out, Bin{Predicted: sp / n, Observed: sy / n, Rows: hi - lo})
	}
	return out
}
