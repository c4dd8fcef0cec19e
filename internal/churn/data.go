// Package churn predicts which customers will leave: gradient-boosted
// trees and a regularised logistic regression trained on any table of
// numeric and categorical features, per-customer reasons from exact
// TreeSHAP contributions, and the metrics that judge them. It knows
// nothing of storage: the store turns the CRM's history into a Dataset.
package churn

import (
	"fmt"
	"math"
)

// Kind says how a feature's values are read.
type Kind uint8

// Feature kinds.
const (
	Numeric Kind = iota
	Categorical
)

func (k Kind) String() string {
	if k == Categorical {
		return "categorical"
	}
	return "numeric"
}

// Feature is one column of a data set: Num for a numeric one (NaN where
// missing), Cat for a categorical one ("" where missing).
type Feature struct {
	Name string
	Kind Kind
	Num  []float64
	Cat  []string
}

// Len is the number of rows the feature holds.
func (f *Feature) Len() int {
	if f.Kind == Categorical {
		return len(f.Cat)
	}
	return len(f.Num)
}

// Missing reports whether row i has no value.
func (f *Feature) Missing(i int) bool {
	if f.Kind == Categorical {
		return f.Cat[i] == ""
	}
	return math.IsNaN(f.Num[i])
}

// Dataset is a table of features with, for training, a 0/1 label per row.
type Dataset struct {
	Features []Feature
	// Label is 1 for a customer who left, 0 for one who stayed; nil when
	// the rows are only to be scored.
	Label []float64
	// IDs names the rows, when they have names.
	IDs []string
}

// Rows is the number of rows.
func (d *Dataset) Rows() int {
	if len(d.Features) > 0 {
		return d.Features[0].Len()
	}
	return len(d.Label)
}

// Check reports a data set whose columns disagree in length or whose
// labels are not 0 or 1.
func (d *Dataset) Check() error {
	n := d.Rows()
	for _, f := range d.Features {
		if f.Len() != n {
			return fmt.Errorf("feature %q has %d rows, not %d", f.Name, f.Len(), n)
		}
	}
	if d.Label != nil {
		if len(d.Label) != n {
			return fmt.Errorf("%d labels for %d rows", len(d.Label), n)
		}
		for i, y := range d.Label {
			if y != 0 && y != 1 {
				return fmt.Errorf("row %d: label %v is neither 0 nor 1", i+1, y)
			}
		}
	}
	return nil
}

// Subset is the rows idx of d, in that order.
func (d *Dataset) Subset(idx []int) *Dataset {
	out := &Dataset{Features: make([]Feature, len(d.Features))}
	for j, f := range d.Features {
		g := Feature{Name: f.Name, Kind: f.Kind}
		if f.Kind == Categorical {
			g.Cat = make([]string, len(idx))
			for k, i := range idx {
				g.Cat[k] = f.Cat[i]
			}
		} else {
			g.Num = make([]float64, len(idx))
			for k, i := range idx {
				g.Num[k] = f.Num[i]
			}
		}
		out.Features[j] = g
	}
	if d.Label != nil {
		out.Label = make([]float64, len(idx))
		for k, i := range idx {
			out.Label[k] = d.Label[i]
		}
	}
	if d.IDs != nil {
		out.IDs = make([]string, len(idx))
		for k, i := range idx {
			out.IDs[k] = d.IDs[i]
		}
	}
	return out
}

// Positives counts the rows labelled 1.
func (d *Dataset) Positives() int {
	n := 0
	for _, y := range d.Label {
		if y == 1 {
			n++
		}
	}
	return n
}
