package churn

// Explanation splits a row's score into a base value, the score of a row
// about which nothing is known, and one contribution per feature; they sum
// to the score exactly. The score is on the logit scale, before
// calibration turns it into a probability.
type Explanation struct {
	Base          float64   `json:"base"`
	Contributions []float64 `json:"contributions"`
	Score         float64   `json:"score"`
	Probability   float64   `json:"probability"`
}

// Explain gives each row's probability and the contribution of each
// feature to its score: exact TreeSHAP values for the trees and, for the
// regression, each term's distance from its mean, blended as the scores
// are.
func (m *Model) Explain(d *Dataset) ([]Explanation, error) {
	d, err := m.align(d)
	if err != nil {
		return nil, err
	}
	b := binAll(m.Binners, d)
	nf := len(m.Binners)
	treeBase := 0.0
	if m.TreeShare > 0 {
		treeBase = m.Trees.Base
		for t := range m.Trees.Trees {
			treeBase += m.Trees.Trees[t].expected()
		}
	}
	linBase := 0.0
	if m.TreeShare < 1 {
		linBase = m.Linear.Intercept
		for _, v := range m.LinearMean {
			linBase += v
		}
	}
	out := make([]Explanation, d.Rows())
	phi := make([]float64, nf)
	for i := range out {
		e := Explanation{Base: m.TreeShare*treeBase + (1-m.TreeShare)*linBase, Contributions: make([]float64, nf)}
		if m.TreeShare > 0 {
			clear(phi)
			for t := range m.Trees.Trees {
				m.Trees.Trees[t].shap(b, i, phi)
			}
			for j := range phi {
				e.Contributions[j] += m.TreeShare * phi[j]
			}
		}
		if m.TreeShare < 1 {
			for j := range nf {
				e.Contributions[j] += (1 - m.TreeShare) * (m.Linear.term(m.Binners, d, b, j, i) - m.LinearMean[j])
			}
		}
		e.Score = m.score(d, b, i)
		e.Probability = sigmoid(m.Scale*e.Score + m.Shift)
		out[i] = e
	}
	return out, nil
}

// expected is the tree's mean output over its training rows.
func (t *Tree) expected() float64 {
	root := t.Nodes[0].Cover
	s := 0.0
	for _, n := range t.Nodes {
		if n.Feature < 0 {
			s += n.Value * n.Cover / root
		}
	}
	return s
}

// pathElem is one feature on the path TreeSHAP walks: the share of rows
// that follow the path when the feature is unknown (zero) and whether row
// follows it when known (one), and the path's weight.
type pathElem struct {
	feature   int
	zero, one float64
	weight    float64
}

// shap adds row i's TreeSHAP values for this tree to phi (Lundberg, Erion
// and Lee, "Consistent individualized feature attribution for tree
// ensembles", algorithm 2), the expectation of a missing feature taken
// over the training rows that reached each node.
func (t *Tree) shap(b *binned, i int, phi []float64) {
	if t.Nodes[0].Feature < 0 {
		return
	}
	var walk func(node int32, path []pathElem, zero, one float64, feature int)
	walk = func(node int32, path []pathElem, zero, one float64, feature int) {
		path = extendPath(path, zero, one, feature)
		n := &t.Nodes[node]
		if n.Feature < 0 {
			for k := 1; k < len(path); k++ {
				w := unwoundSum(path, k)
				phi[path[k].feature] += w * (path[k].one - path[k].zero) * n.Value
			}
			return
		}
		hot, cold := n.Yes, n.No
		if !n.Left.has(b.cols[n.Feature][i]) {
			hot, cold = n.No, n.Yes
		}
		inZero, inOne := 1.0, 1.0
		for k := range path {
			if path[k].feature == n.Feature {
				inZero, inOne = path[k].zero, path[k].one
				path = unwindPath(path, k)
				break
			}
		}
		walk(hot, path, inZero*t.Nodes[hot].Cover/n.Cover, inOne, n.Feature)
		walk(cold, path, inZero*t.Nodes[cold].Cover/n.Cover, 0, n.Feature)
	}
	walk(0, nil, 1, 1, -1)
}

// extendPath is path with one more feature, its weights updated.
func extendPath(path []pathElem, zero, one float64, feature int) []pathElem {
	l := len(path)
	out := make([]pathElem, l+1, l+2)
	copy(out, path)
	out[l] = pathElem{feature: feature, zero: zero, one: one}
	if l == 0 {
		out[l].weight = 1
	}
	for k := l - 1; k >= 0; k-- {
		out[k+1].weight += one * out[k].weight * float64(k+1) / float64(l+1)
		out[k].weight = zero * out[k].weight * float64(l-k) / float64(l+1)
	}
	return out
}

// unwindPath is path without its element k, undoing extendPath.
func unwindPath(path []pathElem, k int) []pathElem {
	d := len(path) - 1
	out := make([]pathElem, d+1)
	copy(out, path)
	one, zero := path[k].one, path[k].zero
	next := out[d].weight
	for j := d - 1; j >= 0; j-- {
		if one != 0 {
			tmp := out[j].weight
			out[j].weight = next * float64(d+1) / (float64(j+1) * one)
			next = tmp - out[j].weight*zero*float64(d-j)/float64(d+1)
		} else {
			out[j].weight = out[j].weight * float64(d+1) / (zero * float64(d-j))
		}
	}
	for j := k; j < d; j++ {
		out[j].feature, out[j].zero, out[j].one = out[j+1].feature, out[j+1].zero, out[j+1].one
	}
	return out[:d]
}

// unwoundSum is the total weight of path without its element k.
func unwoundSum(path []pathElem, k int) float64 {
	d := len(path) - 1
	one, zero := path[k].one, path[k].zero
	next := path[d].weight
	total := 0.0
	for j := d - 1; j >= 0; j-- {
		switch {
		case one != 0:
			tmp := next * float64(d+1) / (float64(j+1) * one)
			total += tmp
			next = path[j].weight - tmp*zero*float64(d-j)/float64(d+1)
		case zero != 0:
			total += path[j].weight / zero / (float64(d-j) / float64(d+1))
		}
	}
	return total
}
