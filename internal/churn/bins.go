package churn

import (
	"math"
	"slices"
	"sort"
)

// maxBins bounds the bins of one feature, the missing bin included, so a
// bin fits in a byte and a split in a 256-bit set.
const maxBins = 256

// Binner maps one feature's values to bins. A numeric feature's bin i
// holds the values up to Bounds[i] (the last bin the rest); a categorical
// feature's bin i is Levels[i], then one bin for levels too rare or never
// seen. The last bin is always "missing".
type Binner struct {
	Name   string    `json:"name"`
	Kind   Kind      `json:"kind"`
	Bounds []float64 `json:"bounds,omitempty"`
	Levels []string  `json:"levels,omitempty"`

	index map[string]uint8
}

// Bins is the number of bins, the missing one included.
func (b *Binner) Bins() int {
	if b.Kind == Categorical {
		return len(b.Levels) + 2
	}
	return len(b.Bounds) + 2
}

// MissingBin is the bin of a missing value.
func (b *Binner) MissingBin() uint8 { return uint8(b.Bins() - 1) }

// OtherBin is a categorical feature's bin of rare and unseen levels.
func (b *Binner) OtherBin() uint8 { return uint8(len(b.Levels)) }

// Bin is the bin of row i of f.
func (b *Binner) Bin(f *Feature, i int) uint8 {
	if b.Kind == Categorical {
		s := f.Cat[i]
		if s == "" {
			return b.MissingBin()
		}
		if k, ok := b.index[s]; ok {
			return k
		}
		return b.OtherBin()
	}
	v := f.Num[i]
	if math.IsNaN(v) {
		return b.MissingBin()
	}
	return uint8(sort.SearchFloat64s(b.Bounds, v))
}

// prepare builds the level index; Bin needs it, and a decoded binner
// lacks it.
func (b *Binner) prepare() {
	if b.Kind != Categorical || b.index != nil {
		return
	}
	b.index = make(map[string]uint8, len(b.Levels))
	for k, l := range b.Levels {
		b.index[l] = uint8(k)
	}
}

// minLevel is the fewest rows a categorical level needs for a bin of its
// own; rarer levels share the "other" bin.
const minLevel = 5

// newBinner chooses the bins of f from its values: each distinct number
// its own bin while there are few, otherwise bins of about equal counts;
// each level of a category with enough rows its own bin, the most
// frequent first.
func newBinner(f *Feature) *Binner {
	b := &Binner{Name: f.Name, Kind: f.Kind}
	if f.Kind == Categorical {
		counts := map[string]int{}
		for _, s := range f.Cat {
			if s != "" {
				counts[s]++
			}
		}
		for l, n := range counts {
			if n >= minLevel {
				b.Levels = append(b.Levels, l)
			}
		}
		slices.SortFunc(b.Levels, func(x, y string) int {
			if counts[x] != counts[y] {
				return counts[y] - counts[x]
			}
			if x < y {
				return -1
			}
			return 1
		})
		if len(b.Levels) > maxBins-2 {
			b.Levels = b.Levels[:maxBins-2]
		}
		b.prepare()
		return b
	}
	vals := make([]float64, 0, len(f.Num))
	for _, v := range f.Num {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	// Distinct values and their counts.
	var distinct []float64
	var counts []int
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct = append(distinct, v)
			counts = append(counts, 0)
		}
		counts[len(counts)-1]++
	}
	if len(distinct) <= maxBins-1 {
		for i := 1; i < len(distinct); i++ {
			b.Bounds = append(b.Bounds, midpoint(distinct[i-1], distinct[i]))
		}
		return b
	}
	per := float64(len(vals)) / float64(maxBins-1)
	seen := 0
	next := per
	for i := 0; i < len(distinct)-1 && len(b.Bounds) < maxBins-2; i++ {
		seen += counts[i]
		if float64(seen) >= next {
			b.Bounds = append(b.Bounds, midpoint(distinct[i], distinct[i+1]))
			for next <= float64(seen) {
				next += per
			}
		}
	}
	return b
}

func midpoint(a, b float64) float64 {
	m := a + (b-a)/2
	if m >= b {
		return a
	}
	return m
}

// binned is a data set as bins, one column per feature.
type binned struct {
	cols [][]uint8
	rows int
}

func binAll(binners []*Binner, d *Dataset) *binned {
	n := d.Rows()
	out := &binned{cols: make([][]uint8, len(binners)), rows: n}
	for j, b := range binners {
		b.prepare()
		col := make([]uint8, n)
		f := &d.Features[j]
		for i := range n {
			col[i] = b.Bin(f, i)
		}
		out.cols[j] = col
	}
	return out
}
