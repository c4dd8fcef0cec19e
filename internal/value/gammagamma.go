package value

import (
	"fmt"
	"math"
)

// GammaGamma is a fitted Gamma-Gamma spend model (Fader, Hardie & Lee
// 2005b): each purchase's value is gamma(p, ν) around a customer's mean,
// and ν is gamma(q, γ) across customers.
type GammaGamma struct {
	P             float64 `json:"p"`
	Q             float64 `json:"q"`
	Gamma         float64 `json:"gamma"`
	LogLikelihood float64 `json:"log_likelihood"`
	Customers     int     `json:"customers"`
}

// FitGammaGamma fits the spend model on the customers with at least one
// repeat purchase and a positive mean spend, or says why it cannot.
func FitGammaGamma(s []Summary) (GammaGamma, error) {
	var xs, ms []float64
	for _, v := range s {
		if v.X > 0 && v.Mean > 0 {
			xs = append(xs, float64(v.X))
			ms = append(ms, v.Mean)
		}
	}
	if len(xs) < MinRepeaters {
		return GammaGamma{}, fmt.Errorf("too few repeat buyers with a positive spend to fit spend: %d (at least %d are needed)", len(xs), MinRepeaters)
	}
	nll := func(lp []float64) float64 {
		p := exps(lp)
		return -ggLL(p[0], p[1], p[2], xs, ms)
	}
	x, f, err := minimize(nll, []float64{0, 0, 0})
	if err != nil {
		return GammaGamma{}, fmt.Errorf("the spend fit did not converge: %w", err)
	}
	p := exps(x)
	m := GammaGamma{P: p[0], Q: p[1], Gamma: p[2], LogLikelihood: -f, Customers: len(xs)}
	if m.Q <= 1 || m.P > 1e6 || m.Gamma > 1e9 {
		return GammaGamma{}, fmt.Errorf("the spend fit ran away (p %.3g, q %.3g, gamma %.3g): spend varies too wildly for the model", m.P, m.Q, m.Gamma)
	}
	return m, nil
}

func ggLL(p, q, g float64, xs, ms []float64) float64 {
	lgq, _ := math.Lgamma(q)
	lg := math.Log(g)
	sum := 0.0
	for i, x := range xs {
		m := ms[i]
		px := p * x
		a, _ := math.Lgamma(px + q)
		b, _ := math.Lgamma(px)
		sum += a - b - lgq + q*lg + (px-1)*math.Log(m) + px*math.Log(x) - (px+q)*math.Log(x*m+g)
	}
	return sum
}

// ExpectedSpend is a customer's expected mean spend per purchase, their own
// average shrunk toward the population's by how few purchases it rests on.
func (m GammaGamma) ExpectedSpend(s Summary) float64 {
	if s.X == 0 || s.Mean <= 0 {
		return m.P * m.Gamma / (m.Q - 1)
	}
	x := float64(s.X)
	return m.P * (m.Gamma + x*s.Mean) / (m.P*x + m.Q - 1)
}

// LifetimeValue is the value of the next months months of a customer's
// purchases, discounted at annualRate a year (0.1 is 10%), month by month.
func LifetimeValue(bg BGNBD, gg GammaGamma, s Summary, months int, annualRate float64) float64 {
	monthly := math.Pow(1+annualRate, 1.0/12) - 1
	spend := gg.ExpectedSpend(s)
	weeksPerMonth := 365.25 / 12 / 7
	prev, v := 0.0, 0.0
	for i := 1; i <= months; i++ {
		e := bg.Expected(float64(i)*weeksPerMonth, s)
		v += (e - prev) * spend / math.Pow(1+monthly, float64(i))
		prev = e
	}
	return v
}
