// Package recommend says which products each customer is likely to buy
// next: their own repeat purchases, weighted by how recent they are, and
// what customers with similar baskets bought (item-to-item co-purchase),
// each with a plain reason. It knows nothing of storage: it learns from
// transaction lines.
package recommend

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Line is one product bought by one customer at one time.
type Line struct {
	Customer string
	Product  string
	At       time.Time
	Quantity float64
}

// Options tune a model; the zero value takes the defaults.
type Options struct {
	// HalfLife is how long before a purchase counts half as much as one
	// made on the last day of the data; 45 days when zero.
	HalfLife time.Duration
	// Neighbours is how many similar products each product keeps; 100
	// when zero.
	Neighbours int
	// Also and Popular weigh co-purchase and popularity against each
	// other when ordering products the customer never bought; 0.3 and
	// 0.02 when zero.
	Also, Popular float64
}

// Model is what was learnt from the lines.
type Model struct {
	products []string
	index    map[string]int32
	// customers: each one's products with their recency-weighted
	// purchase counts (one per day a product was bought).
	customers map[string]map[int32]float64
	counts    map[string]map[int32]int // days each customer bought each product
	// buyers is how many customers bought each product; popularity is
	// the recency-weighted count of buyers.
	buyers     []int
	popularity []float64
	// neighbours of each product, most similar first.
	neighbours [][]neighbour
	end        time.Time
	opt        Options
}

type neighbour struct {
	product int32
	sim     float32
	share   float32 // of the product's buyers, the share who also bought this one
}

// Train learns from lines, in any order.
func Train(lines []Line, o Options) *Model {
	sorted := slices.Clone(lines)
	slices.SortStableFunc(sorted, func(a, b Line) int { return strings.Compare(a.Customer, b.Customer) })
	t := NewTrainer(o)
	for _, l := range sorted {
		t.Add(l.Customer, l.Product, l.At)
	}
	return t.Finish()
}

// Trainer learns from lines streamed one customer after another (each
// customer's lines together, in any order among them), holding nothing
// but the customers' baskets.
type Trainer struct {
	m      *Model
	lambda float64
	cur    string
	days   map[dayKey]bool // the current customer's products and days
}

type dayKey struct {
	p   int32
	day int64
}

// epoch is the reference time of the decayed weights while training: a
// weight is exp(λ(t − epoch)) until Finish scales it to the last day.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// NewTrainer starts a model.
func NewTrainer(o Options) *Trainer {
	if o.HalfLife <= 0 {
		o.HalfLife = 45 * 24 * time.Hour
	}
	if o.Neighbours <= 0 {
		o.Neighbours = 100
	}
	if o.Also <= 0 {
		o.Also = 0.3
	}
	if o.Popular <= 0 {
		o.Popular = 0.02
	}
	return &Trainer{
		m:      &Model{index: map[string]int32{}, customers: map[string]map[int32]float64{}, counts: map[string]map[int32]int{}, opt: o},
		lambda: math.Ln2 / o.HalfLife.Hours(),
		days:   map[dayKey]bool{},
	}
}

// Add is one purchase; one counts per customer, product and day, whatever
// the quantity.
func (t *Trainer) Add(customer, product string, at time.Time) {
	m := t.m
	if customer != t.cur {
		t.cur = customer
		clear(t.days)
	}
	p, ok := m.index[product]
	if !ok {
		p = int32(len(m.products))
		m.index[product] = p
		m.products = append(m.products, product)
	}
	k := dayKey{p, at.Unix() / 86400}
	if t.days[k] {
		return
	}
	t.days[k] = true
	if at.After(m.end) {
		m.end = at
	}
	basket := m.customers[customer]
	if basket == nil {
		basket = map[int32]float64{}
		m.customers[customer] = basket
		m.counts[customer] = map[int32]int{}
	}
	basket[p] += math.Exp(t.lambda * at.Sub(epoch).Hours())
	m.counts[customer][p]++
}

// Finish makes the model.
func (t *Trainer) Finish() *Model {
	m := t.m
	// Weights relative to the last day of the data.
	scale := math.Exp(-t.lambda * m.end.Sub(epoch).Hours())
	for _, basket := range m.customers {
		for p := range basket {
			basket[p] *= scale
		}
	}
	n := len(m.products)
	m.buyers = make([]int, n)
	m.popularity = make([]float64, n)
	for _, basket := range m.customers {
		for p, w := range basket {
			m.buyers[p]++
			m.popularity[p] += math.Min(w, 1)
		}
	}
	m.neighbours = coPurchase(m, m.opt.Neighbours)
	return m
}

// coPurchase counts, for every pair of products, the customers who bought
// both, and keeps each product's most similar ones by cosine similarity.
func coPurchase(m *Model, keep int) [][]neighbour {
	n := len(m.products)
	counts := make([]map[int32]float32, n)
	items := make([]int32, 0, 256)
	for _, basket := range m.customers {
		items = items[:0]
		for p := range basket {
			items = append(items, p)
		}
		for _, a := range items {
			ca := counts[a]
			if ca == nil {
				ca = map[int32]float32{}
				counts[a] = ca
			}
			for _, b := range items {
				if a != b {
					ca[b]++
				}
			}
		}
	}
	out := make([][]neighbour, n)
	for a, ca := range counts {
		list := make([]neighbour, 0, len(ca))
		for b, c := range ca {
			sim := float64(c) / math.Sqrt(float64(m.buyers[a])*float64(m.buyers[b]))
			list = append(list, neighbour{product: b, sim: float32(sim), share: c / float32(m.buyers[a])})
		}
		slices.SortFunc(list, func(x, y neighbour) int {
			switch {
			case x.sim > y.sim:
				return -1
			case x.sim < y.sim:
				return 1
			}
			return int(x.product - y.product)
		})
		if len(list) > keep {
			list = list[:keep]
		}
		out[a] = slices.Clip(list)
	}
	return out
}
