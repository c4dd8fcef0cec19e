// Package value computes what a customer is worth: Pareto and band tiers,
// RFM scores and segments, and lifetime value with BG/NBD and Gamma-Gamma.
// It is pure arithmetic on numbers the store has already summed; nothing
// here touches a database.
package value

import (
	"math"
	"sort"
)

// Score is one customer's value under a rule: revenue or profit over a
// window, a balance, a custom field.
type Score struct {
	CustomerID int64
	Value      float64
}

// Point is one point of the Pareto curve: the top Customers share of
// customers holds the Value share of the total, both between 0 and 1.
type Point struct {
	Customers float64 `json:"customers"`
	Value     float64 `json:"value"`
}

// byValue sorts scores most valuable first, ties by customer id so that
// every run orders them the same way.
func byValue(s []Score) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].Value != s[j].Value {
			return s[i].Value > s[j].Value
		}
		return s[i].CustomerID < s[j].CustomerID
	})
}

// topCount is how many of n customers make the top share: n×share rounded
// half up, so the top 20% of 4,338 customers is 868.
func topCount(n int, share float64) int {
	k := int(math.Floor(float64(n)*share + 0.5))
	return max(0, min(n, k))
}

// Curve returns the Pareto curve of the scores (which it sorts): share of
// customers against share of value, at every step percent of customers
// (steps of 1 give 101 points). Customers with a negative value count as
// customers holding nothing.
func Curve(s []Score, steps int) []Point {
	byValue(s)
	total := 0.0
	for _, v := range s {
		total += math.Max(v.Value, 0)
	}
	if steps <= 0 {
		steps = 100
	}
	pts := make([]Point, 0, steps+1)
	sum, at := 0.0, 0
	for i := 0; i <= steps; i++ {
		k := topCount(len(s), float64(i)/float64(steps))
		for ; at < k; at++ {
			sum += math.Max(s[at].Value, 0)
		}
		p := Point{Customers: float64(i) / float64(steps)}
		if total > 0 {
			p.Value = sum / total
		}
		pts = append(pts, p)
	}
	return pts
}

// TopShare is the share of the total value held by the top share of
// customers (sorting s). It is 0 when nobody holds anything.
func TopShare(s []Score, share float64) float64 {
	byValue(s)
	total, top := 0.0, 0.0
	k := topCount(len(s), share)
	for i, v := range s {
		x := math.Max(v.Value, 0)
		total += x
		if i < k {
			top += x
		}
	}
	if total == 0 {
		return 0
	}
	return top / total
}
