package churn

// binSet is a set of bins: the bins whose rows a split sends left.
type binSet [4]uint64

func (s *binSet) add(b uint8)      { s[b>>6] |= 1 << (b & 63) }
func (s *binSet) has(b uint8) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *binSet) addRange(lo, hi uint8) { // lo..hi inclusive
	for b := int(lo); b <= int(hi); b++ {
		s.add(uint8(b))
	}
}

// Node is one node of a tree: a split on Feature sending the bins in Left
// to node Yes and the rest to node No, or a leaf (Feature -1) adding
// Value to the score. Cover is the number of training rows that reached
// it, which TreeSHAP weighs the paths by.
type Node struct {
	Feature int     `json:"f"`
	Left    binSet  `json:"l,omitzero"`
	Yes     int32   `json:"y,omitempty"`
	No      int32   `json:"n,omitempty"`
	Value   float64 `json:"v,omitempty"`
	Cover   float64 `json:"c"`
	Gain    float64 `json:"g,omitempty"`
}

// Tree is a regression tree; node 0 is the root.
type Tree struct {
	Nodes []Node `json:"nodes"`
}

// leaf is the leaf row i of b falls in.
func (t *Tree) leaf(b *binned, i int) *Node {
	n := &t.Nodes[0]
	for n.Feature >= 0 {
		if n.Left.has(b.cols[n.Feature][i]) {
			n = &t.Nodes[n.Yes]
		} else {
			n = &t.Nodes[n.No]
		}
	}
	return n
}

// depth is the number of splits on the longest path.
func (t *Tree) depth() int {
	var walk func(i int32) int
	walk = func(i int32) int {
		n := &t.Nodes[i]
		if n.Feature < 0 {
			return 0
		}
		return 1 + max(walk(n.Yes), walk(n.No))
	}
	return walk(0)
}
