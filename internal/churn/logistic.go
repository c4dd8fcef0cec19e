package churn

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// Logistic is a regularised logistic regression on standardised numbers
// (a missing number counts as the mean, with a flag of its own) and one
// coefficient per level of each category. It is the baseline the trees
// are judged against, and part of the blend.
type Logistic struct {
	Intercept float64 `json:"intercept"`
	// Mean, Scale and Weight per numeric feature; Missing is the
	// coefficient of its "missing" flag.
	Mean    []float64 `json:"mean"`
	Scale   []float64 `json:"scale"`
	Weight  []float64 `json:"weight"`
	Missing []float64 `json:"missing"`
	// Levels holds each categorical feature's coefficient per bin.
	Levels [][]float64 `json:"levels"`
	// Groups maps each numeric feature's bins to a few groups of about
	// equal counts, and Steps holds a coefficient per group: with them the
	// regression bends where a straight line would not fit.
	Groups [][]uint8   `json:"groups"`
	Steps  [][]float64 `json:"steps"`
}

// stepGroups is how many groups the steps of a numeric feature have.
const stepGroups = 10

// logisticC is the inverse strength of the L2 penalty, as scikit-learn's
// default.
const logisticC = 1.0

// standard is a numeric value standardised, clipped so one outlier cannot
// dominate the fit.
func (m *Logistic) standard(j int, v float64) float64 {
	z := (v - m.Mean[j]) / m.Scale[j]
	return math.Max(-10, math.Min(10, z))
}

func (m *Logistic) raw(binners []*Binner, d *Dataset, b *binned, i int) float64 {
	s := m.Intercept
	for j := range binners {
		s += m.term(binners, d, b, j, i)
	}
	return s
}

// newLogistic sets the standardisation of each numeric feature from the
// rows (all of them, so the models of every fold share it and can be
// averaged).
func newLogistic(binners []*Binner, d *Dataset) *Logistic {
	nf := len(binners)
	m := &Logistic{Mean: make([]float64, nf), Scale: make([]float64, nf), Weight: make([]float64, nf),
		Missing: make([]float64, nf), Levels: make([][]float64, nf), Groups: make([][]uint8, nf), Steps: make([][]float64, nf)}
	for j, bn := range binners {
		m.Scale[j] = 1
		if bn.Kind == Categorical {
			m.Levels[j] = make([]float64, bn.Bins())
			continue
		}
		m.Groups[j], m.Steps[j] = stepGroupsOf(bn, &d.Features[j]), make([]float64, stepGroups)
		var s, ss, n float64
		for _, v := range d.Features[j].Num {
			if !math.IsNaN(v) {
				s, ss, n = s+v, ss+v*v, n+1
			}
		}
		if n > 0 {
			m.Mean[j] = s / n
			m.Scale[j] = math.Sqrt(math.Max(ss/n-m.Mean[j]*m.Mean[j], 0))
		}
		if m.Scale[j] == 0 {
			m.Scale[j] = 1
		}
	}
	return m
}

// trainLogistic fits the regression to rows train by L-BFGS, starting from
// the standardisation of base.
func trainLogistic(base *Logistic, binners []*Binner, d *Dataset, b *binned, train []int, y, w []float64) (*Logistic, error) {
	nf := len(binners)
	m := &Logistic{Mean: base.Mean, Scale: base.Scale, Weight: make([]float64, nf),
		Missing: make([]float64, nf), Levels: make([][]float64, nf), Groups: base.Groups, Steps: make([][]float64, nf)}
	// Parameters: intercept, then per feature its weight and missing flag
	// (numeric) or its level coefficients (categorical).
	off := make([]int, nf)
	dim := 1
	for j, bn := range binners {
		off[j] = dim
		if bn.Kind == Categorical {
			dim += bn.Bins()
		} else {
			dim += 2 + stepGroups
		}
	}
	// The design, computed once: per row, the one coefficient each feature
	// switches on (a level, a step or a missing flag), and per numeric
	// feature the standardised value (0 where missing) its weight scales.
	var nums []int // the numeric features
	for j, bn := range binners {
		if bn.Kind == Numeric {
			nums = append(nums, j)
		}
	}
	n := len(train)
	on := make([]int32, n*nf)
	z := make([]float64, n*len(nums))
	for k, i := range train {
		for j, bn := range binners {
			bin := b.cols[j][i]
			switch {
			case bn.Kind == Categorical:
				on[k*nf+j] = int32(off[j] + int(bin))
			case bin == bn.MissingBin():
				on[k*nf+j] = int32(off[j] + 1)
			default:
				on[k*nf+j] = int32(off[j] + 2 + int(m.Groups[j][bin]))
			}
		}
		for q, j := range nums {
			if v := d.Features[j].Num[i]; !math.IsNaN(v) {
				z[k*len(nums)+q] = m.standard(j, v)
			}
		}
	}
	sw := 0.0
	for _, i := range train {
		sw += w[i]
	}
	eval := func(beta, grad []float64) float64 {
		loss := 0.0
		clear(grad)
		for k, i := range train {
			rowOn, rowZ := on[k*nf:(k+1)*nf], z[k*len(nums):(k+1)*len(nums)]
			s := beta[0]
			for _, c := range rowOn {
				s += beta[c]
			}
			for q, j := range nums {
				s += beta[off[j]] * rowZ[q]
			}
			l, p := lossAndProb(y[i], s)
			loss += w[i] * l
			r := w[i] * (p - y[i])
			grad[0] += r
			for _, c := range rowOn {
				grad[c] += r
			}
			for q, j := range nums {
				grad[off[j]] += r * rowZ[q]
			}
		}
		for k := 1; k < len(beta); k++ {
			loss += beta[k] * beta[k] / (2 * logisticC)
			grad[k] += beta[k] / logisticC
		}
		// The mean, not the sum: the same minimum, and a gradient whose
		// size does not grow with the rows, so one threshold suits all.
		for k := range grad {
			grad[k] /= sw
		}
		return loss / sw
	}
	// L-BFGS asks for the loss and then the gradient at the same point:
	// one pass computes both, and the gradient waits for its call.
	var lastX, lastGrad []float64
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			lastX, lastGrad = append(lastX[:0], x...), make([]float64, len(x))
			return eval(x, lastGrad)
		},
		Grad: func(grad, x []float64) {
			if slices.Equal(x, lastX) {
				copy(grad, lastGrad)
				return
			}
			eval(x, grad)
		},
	}
	// Stop when the gradient is flat, or when the loss has moved less than
	// a part in a hundred million over twenty iterations.
	res, err := optimize.Minimize(prob, make([]float64, dim), &optimize.Settings{
		GradientThreshold: 1e-5, MajorIterations: 300,
		Converger: &optimize.FunctionConverge{Relative: 1e-8, Iterations: 20},
	}, &optimize.LBFGS{})
	if err != nil && (res == nil || res.X == nil) {
		return nil, err
	}
	beta := res.X
	m.Intercept = beta[0]
	for j, bn := range binners {
		if bn.Kind == Categorical {
			m.Levels[j] = append([]float64(nil), beta[off[j]:off[j]+bn.Bins()]...)
		} else {
			m.Weight[j], m.Missing[j] = beta[off[j]], beta[off[j]+1]
			m.Steps[j] = append([]float64(nil), beta[off[j]+2:off[j]+2+stepGroups]...)
		}
	}
	return m, nil
}

// averageLogistic is the mean of regressions sharing one
// standardisation: its score is the mean of theirs.
func averageLogistic(ms []*Logistic) *Logistic {
	k := float64(len(ms))
	out := &Logistic{Mean: ms[0].Mean, Scale: ms[0].Scale, Weight: make([]float64, len(ms[0].Weight)),
		Missing: make([]float64, len(ms[0].Missing)), Levels: make([][]float64, len(ms[0].Levels)),
		Groups: ms[0].Groups, Steps: make([][]float64, len(ms[0].Steps))}
	for j := range ms[0].Levels {
		out.Levels[j] = make([]float64, len(ms[0].Levels[j]))
		out.Steps[j] = make([]float64, len(ms[0].Steps[j]))
	}
	for _, m := range ms {
		out.Intercept += m.Intercept / k
		for j := range m.Weight {
			out.Weight[j] += m.Weight[j] / k
			out.Missing[j] += m.Missing[j] / k
			for v := range m.Levels[j] {
				out.Levels[j][v] += m.Levels[j][v] / k
			}
			for v := range m.Steps[j] {
				out.Steps[j][v] += m.Steps[j][v] / k
			}
		}
	}
	return out
}

// stepGroupsOf deals a numeric feature's value bins into stepGroups
// groups of about equal counts, in order; the missing bin has the flag
// instead.
func stepGroupsOf(bn *Binner, f *Feature) []uint8 {
	counts := make([]float64, bn.Bins())
	total := 0.0
	for i := range f.Num {
		if b := bn.Bin(f, i); b != bn.MissingBin() {
			counts[b]++
			total++
		}
	}
	groups := make([]uint8, bn.Bins())
	cum := 0.0
	for b := range counts[:len(counts)-1] {
		g := int((cum + counts[b]/2) / math.Max(total, 1) * stepGroups)
		groups[b] = uint8(min(g, stepGroups-1))
		cum += counts[b]
	}
	return groups
}
