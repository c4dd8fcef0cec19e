package value

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulate draws n customers' calibration summaries from a BG/NBD process
// with the model's parameters, each first buying at a uniform time within
// weeks weeks of the calibration end; for benchmarks and for checking that
// a fit finds the parameters it was given.
func Simulate(m BGNBD, n int, weeks float64, seed uint64) []Summary {
	src := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rate := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	drop := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	out := make([]Summary, n)
	for i := range out {
		lambda, p := rate.Rand(), drop.Rand()
		T := src.Float64() * weeks
		s := Summary{CustomerID: int64(i + 1), T: math.Round(T*7) / 7}
		// Alive at least until the first repeat purchase; after each one
		// the customer drops out with probability p.
		for t := src.ExpFloat64() / lambda; t <= s.T; t += src.ExpFloat64() / lambda {
			s.X++
			s.Tx = math.Min(math.Round(t*7)/7, s.T)
			if src.Float64() < p {
				break
			}
		}
		out[i] = s
	}
	return out
}
