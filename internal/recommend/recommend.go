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
	// Each customer's basket: who gives the customer's number, and
	// items[start[c]:start[c+1]] the products they bought, in order, with
	// their recency-weighted purchases (one per day a product was bought)
	// and the number of those days. Flat arrays: a million customers'
	// baskets cost a few bytes a product, not a map each.
	who    map[string]int32
	start  []int32
	items  []int32
	weight []float64
	days   []int32
	// buyers is how many customers bought each product; popularity is
	// the recency-weighted count of buyers.
	buyers     []int
	popularity []float64
	// neighbours of each product, most similar first.
	neighbours [][]neighbour
	end        time.Time
	opt        Options
}

// basket is customer c's products, weights and days.
func (m *Model) basket(c int32) ([]int32, []float64, []int32) {
	lo, hi := m.start[c], m.start[c+1]
	return m.items[lo:hi], m.weight[lo:hi], m.days[lo:hi]
}

// holds reports whether the customer bought product p.
func (m *Model) holds(customer string, p int32) bool {
	c, ok := m.who[customer]
	if !ok {
		return false
	}
	items, _, _ := m.basket(c)
	_, found := slices.BinarySearch(items, p)
	return found
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
	seen   map[dayKey]bool // the current customer's products and days
	basket map[int32]*tally
}

type dayKey struct {
	p   int32
	day int64
}

type tally struct {
	weight float64
	days   int32
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
		m:      &Model{index: map[string]int32{}, who: map[string]int32{}, start: []int32{0}, opt: o},
		lambda: math.Ln2 / o.HalfLife.Hours(),
		seen:   map[dayKey]bool{},
		basket: map[int32]*tally{},
	}
}

// Add is one purchase; one counts per customer, product and day, whatever
// the quantity.
func (t *Trainer) Add(customer, product string, at time.Time) {
	m := t.m
	if customer != t.cur {
		t.flush()
		t.cur = customer
	}
	p, ok := m.index[product]
	if !ok {
		p = int32(len(m.products))
		m.index[product] = p
		m.products = append(m.products, product)
	}
	k := dayKey{p, at.Unix() / 86400}
	if t.seen[k] {
		return
	}
	t.seen[k] = true
	if at.After(m.end) {
		m.end = at
	}
	tl := t.basket[p]
	if tl == nil {
		tl = &tally{}
		t.basket[p] = tl
	}
	tl.weight += math.Exp(t.lambda * at.Sub(epoch).Hours())
	tl.days++
}

// flush writes the current customer's basket to the flat arrays.
func (t *Trainer) flush() {
	if len(t.basket) == 0 {
		return
	}
	m := t.m
	items := make([]int32, 0, len(t.basket))
	for p := range t.basket {
		items = append(items, p)
	}
	slices.Sort(items)
	for _, p := range items {
		m.items = append(m.items, p)
		m.weight = append(m.weight, t.basket[p].weight)
		m.days = append(m.days, t.basket[p].days)
	}
	m.who[t.cur] = int32(len(m.start) - 1)
	m.start = append(m.start, int32(len(m.items)))
	clear(t.basket)
	clear(t.seen)
}

// Finish makes the model.
func (t *Trainer) Finish() *Model {
	t.flush()
	m := t.m
	// Weights relative to the last day of the data.
	scale := math.Exp(-t.lambda * m.end.Sub(epoch).Hours())
	for i := range m.weight {
		m.weight[i] *= scale
	}
	n := len(m.products)
	m.buyers = make([]int, n)
	m.popularity = make([]float64, n)
	for i, p := range m.items {
		m.buyers[p]++
		m.popularity[p] += math.Min(m.weight[i], 1)
	}
	m.neighbours = coPurchase(m, m.opt.Neighbours)
	return m
}

// coPurchase counts, for every pair of products, the customers who bought
// both, and keeps each product's most similar ones by cosine similarity.
func coPurchase(m *Model, keep int) [][]neighbour {
	n := len(m.products)
	counts := make([]map[int32]float32, n)
	for c := range len(m.start) - 1 {
		items, _, _ := m.basket(int32(c))
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
