package value

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD is a fitted beta-geometric / negative binomial distribution model
// (Fader, Hardie & Lee 2005): while alive a customer buys at a gamma(r,
// alpha)-distributed rate per week and after each purchase drops out with a
// beta(a, b)-distributed probability.
type BGNBD struct {
	R             float64 `json:"r"`
	Alpha         float64 `json:"alpha"`
	A             float64 `json:"a"`
	B             float64 `json:"b"`
	LogLikelihood float64 `json:"log_likelihood"`
	Customers     int     `json:"customers"`
}

// MinCustomers and MinRepeaters are the least data a fit accepts: below
// them the parameters say more about chance than about the customers.
const (
	MinCustomers = 50
	MinRepeaters = 20
)

// cell is a group of customers with the same history, which the likelihood
// needs only once. Its numbers are indexes into the distinct counts, ages
// and recencies, whose logarithms and gamma functions each evaluation
// computes once, not once per customer.
type cell struct {
	x, t, tx int // indexes into cells.xs, cells.ts, cells.ts
	weight   float64
}

type cells struct {
	xs    []float64 // distinct repeat counts
	ts    []float64 // distinct ages and recencies, in weeks
	cells []cell
}

func newCells(s []Summary) *cells {
	type key struct {
		x     int
		tx, t float64
	}
	c := &cells{}
	xAt, tAt, at := map[int]int{}, map[float64]int{}, map[key]int{}
	index := func(v float64) int {
		i, ok := tAt[v]
		if !ok {
			i = len(c.ts)
			tAt[v] = i
			c.ts = append(c.ts, v)
		}
		return i
	}
	for _, v := range s {
		k := key{v.X, v.Tx, v.T}
		if i, ok := at[k]; ok {
			c.cells[i].weight++
			continue
		}
		xi, ok := xAt[v.X]
		if !ok {
			xi = len(c.xs)
			xAt[v.X] = xi
			c.xs = append(c.xs, float64(v.X))
		}
		at[k] = len(c.cells)
		c.cells = append(c.cells, cell{x: xi, t: index(v.T), tx: index(v.Tx), weight: 1})
	}
	return c
}

// FitBGNBD fits the model by maximum likelihood, or says why the summaries
// cannot support a fit.
func FitBGNBD(s []Summary) (BGNBD, error) {
	repeaters := 0
	for _, v := range s {
		if v.X < 0 || v.Tx < 0 || v.T < v.Tx {
			return BGNBD{}, fmt.Errorf("customer %d: recency %.2f and age %.2f weeks do not fit together", v.CustomerID, v.Tx, v.T)
		}
		if v.X > 0 {
			repeaters++
		}
	}
	if len(s) < MinCustomers || repeaters < MinRepeaters {
		return BGNBD{}, fmt.Errorf("too little history to fit: %d customers, %d of them with a repeat purchase (at least %d and %d are needed)", len(s), repeaters, MinCustomers, MinRepeaters)
	}
	cs := newCells(s)
	nll := func(lp []float64) float64 {
		p := exps(lp)
		return -bgnbdLL(p[0], p[1], p[2], p[3], cs)
	}
	x, f, err := minimize(nll, []float64{0, 0, 0, 0})
	if err != nil {
		return BGNBD{}, fmt.Errorf("the fit did not converge: %w", err)
	}
	p := exps(x)
	m := BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3], LogLikelihood: -f, Customers: len(s)}
	for _, v := range p {
		if v < 1e-6 || v > 1e6 {
			return BGNBD{}, fmt.Errorf("the fit ran away (r %.3g, alpha %.3g, a %.3g, b %.3g): the purchase pattern does not look like repeat buying", m.R, m.Alpha, m.A, m.B)
		}
	}
	return m, nil
}

func bgnbdLL(r, alpha, a, b float64, cs *cells) float64 {
	lgr, _ := math.Lgamma(r)
	lgab, _ := math.Lgamma(a + b)
	lgb, _ := math.Lgamma(b)
	la, lalpha := math.Log(a), math.Log(alpha)
	// Per distinct repeat count: the parts of the likelihood that depend on
	// x alone; per distinct age or recency: log(alpha + t).
	head := make([]float64, len(cs.xs))
	tail := make([]float64, len(cs.xs))
	for i, x := range cs.xs {
		lgrx, _ := math.Lgamma(r + x)
		lgbx, _ := math.Lgamma(b + x)
		lgabx, _ := math.Lgamma(a + b + x)
		head[i] = lgrx - lgr + r*lalpha + lgab + lgbx - lgb - lgabx
		if x > 0 {
			tail[i] = la - math.Log(b+x-1)
		}
	}
	logs := make([]float64, len(cs.ts))
	for i, t := range cs.ts {
		logs[i] = math.Log(alpha + t)
	}
	sum := 0.0
	for _, c := range cs.cells {
		x := cs.xs[c.x]
		ll := -(r + x) * logs[c.t]
		if x > 0 {
			ll = logAddExp(ll, tail[c.x]-(r+x)*logs[c.tx])
		}
		sum += c.weight * (head[c.x] + ll)
	}
	return sum
}

func logAddExp(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	return x + math.Log1p(math.Exp(y-x))
}

// ExpectedNew is E[X(t)], the purchases a customer makes in their first t
// weeks.
func (m BGNBD) ExpectedNew(t float64) float64 {
	h := mathext.Hypergeo(m.R, m.B, m.A+m.B-1, t/(m.Alpha+t))
	return (m.A + m.B - 1) / (m.A - 1) * (1 - h*math.Pow(m.Alpha/(m.Alpha+t), m.R))
}

// Expected is E[Y(t) | x, tx, T], the purchases a customer with that
// history makes in the next t weeks.
func (m BGNBD) Expected(t float64, s Summary) float64 {
	x := float64(s.X)
	z := t / (m.Alpha + s.T + t)
	h := mathext.Hypergeo(m.R+x, m.B+x, m.A+m.B+x-1, z)
	first := (m.A + m.B + x - 1) / (m.A - 1)
	second := 1 - h*math.Pow((m.Alpha+s.T)/(m.Alpha+s.T+t), m.R+x)
	return first * second / m.aliveDenominator(s)
}

// Alive is the probability the customer has not dropped out.
func (m BGNBD) Alive(s Summary) float64 { return 1 / m.aliveDenominator(s) }

func (m BGNBD) aliveDenominator(s Summary) float64 {
	if s.X == 0 {
		return 1
	}
	x := float64(s.X)
	return 1 + m.A/(m.B+x-1)*math.Pow((m.Alpha+s.T)/(m.Alpha+s.Tx), m.R+x)
}
