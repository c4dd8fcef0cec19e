package churn

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Params are the settings of the boosted trees. The defaults suit tables
// of a few thousand to a few million rows without tuning: small trees, a
// slow learning rate and early stopping on a held-out share decide how
// many trees the data supports.
type Params struct {
	// Rounds is the most trees grown.
	Rounds int `json:"rounds"`
	// LearningRate shrinks each tree's contribution.
	LearningRate float64 `json:"learning_rate"`
	// Leaves and Depth bound each tree.
	Leaves int `json:"leaves"`
	Depth  int `json:"depth"`
	// MinLeaf is the fewest training rows a leaf may hold.
	MinLeaf int `json:"min_leaf"`
	// Lambda is the L2 penalty on leaf values.
	Lambda float64 `json:"lambda"`
	// RowShare and FeatureShare are the shares of rows and features each
	// tree sees.
	RowShare     float64 `json:"row_share"`
	FeatureShare float64 `json:"feature_share"`
	// Folds is how many models are trained, each on all the folds of the
	// rows but one and stopped early on that one; the model is their
	// average, and their predictions on the folds they did not see choose
	// the blend and calibrate it. Patience is the rounds without
	// improvement before stopping.
	Folds    int `json:"folds"`
	Patience int `json:"patience"`
	// Balanced weighs each class by the inverse of its share, so a rare
	// outcome is not drowned out; calibration undoes the shift.
	Balanced bool `json:"balanced"`
	// Seed makes the row and feature samples, and so the model,
	// reproducible.
	Seed uint64 `json:"seed"`
}

// DefaultParams are the settings used when none are given.
func DefaultParams() Params {
	return Params{
		Rounds: 2000, LearningRate: 0.1, Leaves: 16, Depth: 6, MinLeaf: 20, Lambda: 1,
		RowShare: 0.8, FeatureShare: 0.8, Folds: 5, Patience: 50, Balanced: true, Seed: 1,
	}
}

// Boosted is an additive model of trees on the logit scale.
type Boosted struct {
	Base  float64 `json:"base"`
	Trees []Tree  `json:"trees"`
}

// raw is the model's logit for row i of b.
func (m *Boosted) raw(b *binned, i int) float64 {
	s := m.Base
	for t := range m.Trees {
		s += m.Trees[t].leaf(b, i).Value
	}
	return s
}

type hbin struct {
	g, h float64
	n    int32
}

// grower holds what growing one tree needs.
type grower struct {
	p       Params
	binners []*Binner
	data    *binned
	g, h    []float64
	offsets []int // each feature's first bin in a histogram
	width   int
	feats   []int // the features this tree may split on
}

type split struct {
	feature int
	left    binSet
	gain    float64
}

type candidate struct {
	node       int32
	start, end int
	depth      int
	G, H       float64
	hist       []hbin
	best       split
}

func (gr *grower) histogram(idx []int) []hbin {
	hist := make([]hbin, gr.width)
	for _, j := range gr.feats {
		col, off := gr.data.cols[j], gr.offsets[j]
		for _, i := range idx {
			b := &hist[off+int(col[i])]
			b.g += gr.g[i]
			b.h += gr.h[i]
			b.n++
		}
	}
	return hist
}

func (gr *grower) score(G, H float64) float64 { return G * G / (H + gr.p.Lambda) }

// bestSplit finds the split of a node with the largest gain.
func (gr *grower) bestSplit(c *candidate) {
	c.best = split{feature: -1}
	n := int32(c.end - c.start)
	if c.depth >= gr.p.Depth || int(n) < 2*gr.p.MinLeaf {
		return
	}
	parent := gr.score(c.G, c.H)
	min := int32(gr.p.MinLeaf)
	const minHess = 1e-3
	try := func(j int, gl, hl float64, nl int32, left func() binSet) {
		gr_, hr, nr := c.G-gl, c.H-hl, n-nl
		if nl < min || nr < min || hl < minHess || hr < minHess {
			return
		}
		gain := gr.score(gl, hl) + gr.score(gr_, hr) - parent
		if gain > c.best.gain+1e-12 {
			c.best = split{feature: j, gain: gain, left: left()}
		}
	}
	for _, j := range gr.feats {
		bn := gr.binners[j]
		hist := c.hist[gr.offsets[j] : gr.offsets[j]+bn.Bins()]
		miss := bn.MissingBin()
		if bn.Kind == Numeric {
			m := hist[miss]
			var gl, hl float64
			var nl int32
			for t := 0; t < int(miss)-1; t++ {
				gl, hl, nl = gl+hist[t].g, hl+hist[t].h, nl+hist[t].n
				if hist[t].n == 0 {
					continue
				}
				t := uint8(t)
				try(j, gl, hl, nl, func() binSet { var s binSet; s.addRange(0, t); return s })
				if m.n > 0 {
					try(j, gl+m.g, hl+m.h, nl+m.n, func() binSet { var s binSet; s.addRange(0, t); s.add(miss); return s })
				}
			}
			if m.n > 0 { // missing against everything else
				try(j, m.g, m.h, m.n, func() binSet { var s binSet; s.add(miss); return s })
			}
			continue
		}
		// A category: order the levels by their mean gradient, smoothed,
		// and split that order like a number.
		const smooth = 10
		var order []uint8
		for b := range hist {
			if hist[b].n > 0 {
				order = append(order, uint8(b))
			}
		}
		if len(order) < 2 {
			continue
		}
		slices.SortStableFunc(order, func(x, y uint8) int {
			a := hist[x].g / (hist[x].h + smooth)
			b := hist[y].g / (hist[y].h + smooth)
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		})
		var gl, hl float64
		var nl int32
		for k := 0; k < len(order)-1; k++ {
			b := hist[order[k]]
			gl, hl, nl = gl+b.g, hl+b.h, nl+b.n
			k := k
			try(j, gl, hl, nl, func() binSet {
				var s binSet
				for _, b := range order[:k+1] {
					s.add(b)
				}
				return s
			})
		}
	}
}

// grow grows one tree on the rows idx (reordered in place), leaf by leaf,
// always splitting the leaf whose best split gains most.
func (gr *grower) grow(idx []int) Tree {
	var G, H float64
	for _, i := range idx {
		G += gr.g[i]
		H += gr.h[i]
	}
	t := Tree{Nodes: []Node{{Feature: -1, Cover: float64(len(idx))}}}
	root := &candidate{node: 0, start: 0, end: len(idx), G: G, H: H, hist: gr.histogram(idx)}
	gr.bestSplit(root)
	open := []*candidate{root}
	for leaves := 1; leaves < gr.p.Leaves; leaves++ {
		k := -1
		for i, c := range open {
			if c.best.feature >= 0 && (k < 0 || c.best.gain > open[k].best.gain) {
				k = i
			}
		}
		if k < 0 {
			break
		}
		c := open[k]
		open = slices.Delete(open, k, k+1)
		// Partition the node's rows: those going left first.
		col := gr.data.cols[c.best.feature]
		rows := idx[c.start:c.end]
		mid := 0
		for r := range rows {
			if c.best.left.has(col[rows[r]]) {
				rows[mid], rows[r] = rows[r], rows[mid]
				mid++
			}
		}
		l := &candidate{start: c.start, end: c.start + mid, depth: c.depth + 1}
		r := &candidate{start: c.start + mid, end: c.end, depth: c.depth + 1}
		for _, i := range idx[l.start:l.end] {
			l.G += gr.g[i]
			l.H += gr.h[i]
		}
		r.G, r.H = c.G-l.G, c.H-l.H
		// The smaller child's histogram by counting, the larger's by
		// subtracting it from the parent's.
		small, large := l, r
		if small.end-small.start > large.end-large.start {
			small, large = r, l
		}
		small.hist = gr.histogram(idx[small.start:small.end])
		large.hist = c.hist
		for b := range large.hist {
			large.hist[b].g -= small.hist[b].g
			large.hist[b].h -= small.hist[b].h
			large.hist[b].n -= small.hist[b].n
		}
		c.hist = nil
		l.node, r.node = int32(len(t.Nodes)), int32(len(t.Nodes)+1)
		t.Nodes = append(t.Nodes,
			Node{Feature: -1, Cover: float64(l.end - l.start)},
			Node{Feature: -1, Cover: float64(r.end - r.start)})
		n := &t.Nodes[c.node]
		n.Feature, n.Left, n.Yes, n.No, n.Gain = c.best.feature, c.best.left, l.node, r.node, c.best.gain
		gr.bestSplit(l)
		gr.bestSplit(r)
		open = append(open, l, r)
	}
	for _, c := range open {
		t.Nodes[c.node].Value = -c.G / (c.H + gr.p.Lambda) * gr.p.LearningRate
	}
	return t
}

// trainBoosted fits trees to rows train with labels y and weights w,
// stopping when the weighted log loss on the valid rows stops falling.
func trainBoosted(binners []*Binner, data *binned, train, valid []int, y, w []float64, p Params) *Boosted {
	var sw, sy float64
	for _, i := range train {
		sw += w[i]
		sy += w[i] * y[i]
	}
	prior := math.Min(math.Max(sy/sw, 1e-6), 1-1e-6)
	m := &Boosted{Base: math.Log(prior / (1 - prior))}
	raw := make([]float64, data.rows)
	for i := range raw {
		raw[i] = m.Base
	}
	gr := &grower{p: p, binners: binners, data: data, g: make([]float64, data.rows), h: make([]float64, data.rows)}
	gr.offsets = make([]int, len(binners))
	for j, b := range binners {
		gr.offsets[j] = gr.width
		gr.width += b.Bins()
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x6b6577656921))
	all := make([]int, len(binners))
	for j := range all {
		all[j] = j
	}
	best, bestLoss, since := 0, math.Inf(1), 0
	idx := make([]int, 0, len(train))
	for round := 0; round < p.Rounds; round++ {
		for _, i := range train {
			q := sigmoid(raw[i])
			gr.g[i] = w[i] * (q - y[i])
			gr.h[i] = w[i] * math.Max(q*(1-q), 1e-12)
		}
		idx = idx[:0]
		for _, i := range train {
			if p.RowShare >= 1 || rng.Float64() < p.RowShare {
				idx = append(idx, i)
			}
		}
		gr.feats = gr.feats[:0]
		for _, j := range all {
			if p.FeatureShare >= 1 || rng.Float64() < p.FeatureShare {
				gr.feats = append(gr.feats, j)
			}
		}
		if len(gr.feats) == 0 {
			gr.feats = append(gr.feats, all[rng.IntN(len(all))])
		}
		t := gr.grow(idx)
		m.Trees = append(m.Trees, t)
		for i := range raw {
			raw[i] += t.leaf(data, i).Value
		}
		if len(valid) == 0 {
			continue
		}
		loss := 0.0
		for _, i := range valid {
			loss += w[i] * logLoss(y[i], raw[i])
		}
		if loss < bestLoss-1e-9 {
			best, bestLoss, since = len(m.Trees), loss, 0
		} else if since++; since >= p.Patience {
			break
		}
	}
	if len(valid) > 0 {
		m.Trees = m.Trees[:best]
	}
	return m
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logLoss is the log loss of a logit z for a label y, computed stably.
func logLoss(y, z float64) float64 {
	loss, _ := lossAndProb(y, z)
	return loss
}

// lossAndProb is the log loss of a logit z for a label y and the
// probability sigmoid(z), from one exponential.
func lossAndProb(y, z float64) (loss, p float64) {
	e := math.Exp(-math.Abs(z)) // in (0, 1]
	loss = math.Log1p(e) - y*z
	if z > 0 {
		loss += z
		p = 1 / (1 + e)
	} else {
		p = e / (1 + e)
	}
	return loss, p
}

// refit trains the trees once more on every row, for as many rounds as the
// folds' models stopped at on average, grown by the share of rows each
// fold held back: one model scores as fast as a fold's, where the folds'
// average would take all their trees.
func refit(binners []*Binner, data *binned, y, w []float64, folds []*Boosted, p Params) *Boosted {
	rounds := 0
	for _, f := range folds {
		rounds += len(f.Trees)
	}
	k := float64(len(folds))
	p.Rounds = max(1, int(math.Round(float64(rounds)/k*k/(k-1))))
	all := make([]int, data.rows)
	for i := range all {
		all[i] = i
	}
	return trainBoosted(binners, data, all, nil, y, w, p)
}
