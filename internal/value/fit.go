package value

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"
)

// minimize finds the minimum of f, a negative log-likelihood over the
// logarithms of positive parameters: Nelder–Mead to get near it without a
// gradient, then BFGS with central differences to settle it precisely.
func minimize(f func(x []float64) float64, x0 []float64) ([]float64, float64, error) {
	safe := func(x []float64) float64 {
		v := f(x)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.MaxFloat64 / 4
		}
		return v
	}
	p := optimize.Problem{Func: safe}
	r, err := optimize.Minimize(p, x0, &optimize.Settings{MajorIterations: 5000}, &optimize.NelderMead{})
	if err != nil && r == nil {
		return nil, 0, err
	}
	x := r.X
	grad := func(g, x []float64) { fd.Gradient(g, safe, x, &fd.Settings{Formula: fd.Central, Step: 1e-6}) }
	p = optimize.Problem{Func: safe, Grad: grad}
	if r2, _ := optimize.Minimize(p, x, &optimize.Settings{MajorIterations: 500}, &optimize.BFGS{}); r2 != nil && r2.F <= r.F {
		x, r = r2.X, r2
	}
	if math.IsNaN(r.F) || r.F >= math.MaxFloat64/8 {
		return nil, 0, errors.New("the likelihood could not be evaluated at any parameters tried")
	}
	return x, r.F, nil
}

// exps returns e^x for each x: the fit works on logarithms so that the
// parameters stay positive.
func exps(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Exp(v)
	}
	return out
}
