package recommend

import (
	"math"
	"slices"
)

// Reason kinds.
const (
	// Again: the customer buys it again and again.
	Again = "again"
	// Also: customers who bought one of theirs bought this too.
	Also = "also"
	// Popular: many customers bought it lately.
	Popular = "popular"
)

// Rec is one recommended product with the reason for it.
type Rec struct {
	Product string  `json:"product"`
	Score   float64 `json:"score"`
	// Kind says why: again, also or popular.
	Kind string `json:"kind"`
	// Times is how often the customer bought it (again).
	Times int `json:"times,omitempty"`
	// Because is the customer's product that led here, and Share the share
	// of its buyers who bought this one too (also).
	Because string  `json:"because,omitempty"`
	Share   float64 `json:"share,omitempty"`
	// Buyers is how many customers bought it (popular).
	Buyers int `json:"buyers,omitempty"`
}

// Recommend gives the customer's k most likely next products, best first;
// with newOnly, none the customer bought before. A customer the model has
// not seen gets the popular products.
func (m *Model) Recommend(customer string, k int, newOnly bool) []Rec {
	return m.RecommendExcept(customer, k, newOnly, nil)
}

// RecommendExcept is Recommend without the products named in except: the
// one-off products a customer holds, which they will not buy again.
func (m *Model) RecommendExcept(customer string, k int, newOnly bool, except []string) []Rec {
	alsoWeight, popularWeight := m.opt.Also, m.opt.Popular
	n := len(m.products)
	held := make([]bool, n)
	c, known := m.who[customer]
	var items []int32
	var weights []float64
	var days []int32
	if known {
		items, weights, days = m.basket(c)
	}
	own := make([]float64, n)
	also := make([]float64, n)
	from := make([]int32, n)
	best := make([]float64, n) // the largest single contribution to also
	maxAlso, maxPop := 0.0, 0.0
	for i, p := range items {
		w := weights[i]
		own[p], held[p] = float64(days[i]), true
		// What the product's co-buyers bought, weighed by how much this
		// customer cares for it now.
		interest := 1 - math.Exp(-w)
		for _, nb := range m.neighbours[p] {
			v := interest * float64(nb.sim)
			if v > best[nb.product] {
				best[nb.product], from[nb.product] = v, p
			}
			also[nb.product] += v
		}
	}
	for _, v := range also {
		maxAlso = math.Max(maxAlso, v)
	}
	for _, v := range m.popularity {
		maxPop = math.Max(maxPop, v)
	}
	scores := make([]float64, n)
	cands := make([]int32, 0, n)
	skip := make([]bool, n)
	for _, e := range except {
		if p, ok := m.index[e]; ok {
			skip[p] = true
		}
	}
	for p := range n {
		if (newOnly && held[p]) || skip[p] {
			continue
		}
		s := 0.0
		switch {
		case held[p] && maxPop > 0:
			// What the customer bought before comes first, by how many
			// days each was bought; among equal counts (most products are
			// bought once) the more popular lately first.
			s = own[p] + againPopular*m.popularity[p]/maxPop
		default:
			// Then what customers with similar baskets bought, and what
			// many bought lately; the two add up to less than one.
			if maxAlso > 0 {
				s += alsoWeight * also[p] / maxAlso
			}
			if maxPop > 0 {
				s += popularWeight * m.popularity[p] / maxPop
			}
		}
		scores[p] = s
		cands = append(cands, int32(p))
	}
	slices.SortFunc(cands, func(a, b int32) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return int(a - b)
	})
	if len(cands) > k {
		cands = cands[:k]
	}
	out := make([]Rec, len(cands))
	for i, p := range cands {
		r := Rec{Product: m.products[p], Score: scores[p]}
		ownPart := own[p]
		alsoPart := 0.0
		if maxAlso > 0 {
			alsoPart = alsoWeight * also[p] / maxAlso
		}
		switch {
		case ownPart > 0 && ownPart >= alsoPart:
			r.Kind, r.Times = Again, int(own[p])
		case alsoPart > 0:
			r.Kind, r.Because, r.Share = Also, m.products[from[p]], m.shareOf(from[p], p)
		default:
			r.Kind, r.Buyers = Popular, m.buyers[p]
		}
		out[i] = r
	}
	return out
}

// Popularity is the baseline: the k products most customers bought, with
// newOnly none the customer bought before.
func (m *Model) Popularity(customer string, k int, newOnly bool) []Rec {
	cands := make([]int32, 0, len(m.products))
	for p := range m.products {
		if newOnly && m.holds(customer, int32(p)) {
			continue
		}
		cands = append(cands, int32(p))
	}
	slices.SortFunc(cands, func(a, b int32) int {
		switch {
		case m.buyers[a] > m.buyers[b]:
			return -1
		case m.buyers[a] < m.buyers[b]:
			return 1
		}
		return int(a - b)
	})
	if len(cands) > k {
		cands = cands[:k]
	}
	out := make([]Rec, len(cands))
	for i, p := range cands {
		out[i] = Rec{Product: m.products[p], Score: float64(m.buyers[p]), Kind: Popular, Buyers: m.buyers[p]}
	}
	return out
}

func (m *Model) shareOf(a, b int32) float64 {
	for _, nb := range m.neighbours[a] {
		if nb.product == b {
			return float64(nb.share)
		}
	}
	return 0
}

// againPopular weighs popularity among the products a customer bought on
// as many days: on the Online Retail lines it orders those ties better
// than co-purchase or the customer's own recency.
const againPopular = 0.9
