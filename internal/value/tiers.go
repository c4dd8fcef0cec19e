package value

import (
	"cmp"
	"fmt"
	"slices"
)

// Shares are the cumulative Pareto cut-offs: A is the top A of customers, B
// the next customers up to B, C up to C, D everyone else. The defaults are
// 1%, 5% and 20%.
type Shares struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
	C float64 `json:"c"`
}

// DefaultShares is the 1% / 4% / 15% / 80% split.
var DefaultShares = Shares{A: 0.01, B: 0.05, C: 0.20}

// Check says what is wrong with the shares, or nil.
func (s Shares) Check() error {
	if !(s.A > 0 && s.A <= s.B && s.B <= s.C && s.C < 1) {
		return fmt.Errorf("the shares must grow: 0 < A ≤ B ≤ C < 100%%, got %.4g%%, %.4g%%, %.4g%%", s.A*100, s.B*100, s.C*100)
	}
	return nil
}

// Tier letters, most valuable first; "D" is the default.
const (
	A = "A"
	B = "B"
	C = "C"
	D = "D"
)

// Pareto tiers the scores (sorting them) and returns each customer's tier.
// The shares are of n customers (at least len(s)): those not listed are
// worth nothing and are D. A customer's place is the number of customers worth strictly more, so
// customers worth exactly the same always share a tier: a tie at a cut-off
// lifts everyone tied into the better tier. A customer worth nothing (or
// less) is D whatever the shares say.
func Pareto(s []Score, n int, sh Shares) map[int64]string {
	byValue(s)
	n = max(n, len(s))
	ka, kb, kc := topCount(n, sh.A), topCount(n, sh.B), topCount(n, sh.C)
	out := make(map[int64]string, n)
	place := 0
	for i, v := range s {
		if i == 0 || v.Value != s[i-1].Value {
			place = i
		}
		switch {
		case v.Value <= 0:
			out[v.CustomerID] = D
		case place < ka:
			out[v.CustomerID] = A
		case place < kb:
			out[v.CustomerID] = B
		case place < kc:
			out[v.CustomerID] = C
		default:
			out[v.CustomerID] = D
		}
	}
	return out
}

// Band is one range of a banded rule: a value of at least Min (and below
// the next band's Min) gets Tier.
type Band struct {
	Min   float64 `json:"min"`
	Tier  string  `json:"tier"`
	Label string  `json:"label,omitempty"`
}

// CheckBands says what is wrong with bands, or nil: they must be listed
// from the lowest minimum up, with strictly growing minimums.
func CheckBands(b []Band) error {
	if len(b) == 0 {
		return fmt.Errorf("at least one band is needed")
	}
	for i := 1; i < len(b); i++ {
		if b[i].Min <= b[i-1].Min {
			return fmt.Errorf("band %d starts at %.2f, not above band %d's %.2f", i+1, b[i].Min, i, b[i-1].Min)
		}
	}
	return nil
}

// Banded tiers a value: the band with the highest minimum the value
// reaches, or "" below the first band (the caller's default, usually D).
func Banded(v float64, b []Band) (Band, bool) {
	for i := len(b) - 1; i >= 0; i-- {
		if v >= b[i].Min {
			return b[i], true
		}
	}
	return Band{}, false
}

// ParetoOf tiers values given in any order, returning each one's tier in
// the same order; the shares are of n customers (at least len(values)),
// the others worth nothing. Ties follow Pareto's rule, and equal values
// keep their order, so a run over the same data always gives the same
// tiers.
func ParetoOf(values []float64, n int, sh Shares) []string {
	type entry struct {
		v  float64
		at int32
	}
	order := make([]entry, len(values))
	for i, v := range values {
		order[i] = entry{v, int32(i)}
	}
	slices.SortFunc(order, func(x, y entry) int {
		if c := cmp.Compare(y.v, x.v); c != 0 {
			return c
		}
		return cmp.Compare(x.at, y.at)
	})
	n = max(n, len(values))
	ka, kb, kc := topCount(n, sh.A), topCount(n, sh.B), topCount(n, sh.C)
	out := make([]string, len(values))
	place := 0
	for i, e := range order {
		v, at := e.v, e.at
		if i == 0 || v != order[i-1].v {
			place = i
		}
		switch {
		case v <= 0:
			out[at] = D
		case place < ka:
			out[at] = A
		case place < kb:
			out[at] = B
		case place < kc:
			out[at] = C
		default:
			out[at] = D
		}
	}
	return out
}
