package churn

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Columns says what the columns of a table are.
type Columns struct {
	// Label is the column saying who left; empty for rows only scored.
	Label string
	// Positive is the label value meaning "left"; empty to recognise the
	// usual ones (1, yes, true, churn, lost, 是…).
	Positive string
	// ID names each row and is not a feature.
	ID string
	// Drop lists columns that are not features.
	Drop []string
	// Kinds forces a column's kind, as when test rows must be read as the
	// training rows were.
	Kinds map[string]Kind
}

var positiveWords = []string{"1", "yes", "y", "true", "t", "churn", "churned", "lost", "left", "exited", "是", "流失"}

// positiveStems mark a label value that names leaving ("Attrited
// Customer", "Closed account") when no value is a plain yes.
var positiveStems = []string{"attrit", "churn", "exit", "left", "lost", "cancel", "closed", "leav", "流失", "离网", "销户"}

// FromRecords reads a table — a header, then rows of text — into a data
// set. A column whose every non-blank value is a number is numeric, any
// other categorical; a blank cell is missing.
func FromRecords(header []string, rows [][]string, c Columns) (*Dataset, error) {
	pos := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; dup {
			return nil, fmt.Errorf("the header names column %q twice", h)
		}
		pos[h] = i
	}
	col := func(name string) (int, error) {
		if name == "" {
			return -1, nil
		}
		i, ok := pos[name]
		if !ok {
			return 0, fmt.Errorf("no column %q in the header (it has %s)", name, strings.Join(header, ", "))
		}
		return i, nil
	}
	labelCol, err := col(c.Label)
	if err != nil {
		return nil, err
	}
	idCol, err := col(c.ID)
	if err != nil {
		return nil, err
	}
	skip := map[int]bool{labelCol: true, idCol: true}
	for _, name := range c.Drop {
		i, err := col(name)
		if err != nil {
			return nil, fmt.Errorf("--drop: %w", err)
		}
		skip[i] = true
	}
	for r, row := range rows {
		if len(row) != len(header) {
			return nil, fmt.Errorf("row %d has %d cells, the header %d", r+2, len(row), len(header))
		}
	}
	d := &Dataset{}
	if labelCol >= 0 {
		if d.Label, err = labels(rows, labelCol, c); err != nil {
			return nil, err
		}
	}
	if idCol >= 0 {
		d.IDs = make([]string, len(rows))
		for r, row := range rows {
			d.IDs[r] = strings.TrimSpace(row[idCol])
		}
	}
	for i, h := range header {
		if skip[i] {
			continue
		}
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		kind, forced := c.Kinds[name]
		if !forced {
			kind = Numeric
			for _, row := range rows {
				if v := strings.TrimSpace(row[i]); v != "" {
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						kind = Categorical
						break
					}
				}
			}
		}
		f := Feature{Name: name, Kind: kind}
		for _, row := range rows {
			v := strings.TrimSpace(row[i])
			if kind == Categorical {
				f.Cat = append(f.Cat, v)
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(x, 0) {
				x = math.NaN()
			}
			f.Num = append(f.Num, x)
		}
		d.Features = append(d.Features, f)
	}
	if len(d.Features) == 0 {
		return nil, fmt.Errorf("no feature columns are left")
	}
	return d, nil
}

func labels(rows [][]string, col int, c Columns) ([]float64, error) {
	values := map[string]int{}
	for r, row := range rows {
		v := strings.TrimSpace(row[col])
		if v == "" {
			return nil, fmt.Errorf("row %d: the label column %q is blank", r+2, c.Label)
		}
		values[v]++
	}
	positive := c.Positive
	if positive == "" {
		if len(values) != 2 {
			return nil, fmt.Errorf("the label column %q has %d different values; give --positive", c.Label, len(values))
		}
		for v := range values {
			if slices.Contains(positiveWords, strings.ToLower(v)) {
				positive = v
			}
		}
		if positive == "" {
			var stem []string
			for v := range values {
				for _, s := range positiveStems {
					if strings.Contains(strings.ToLower(v), s) {
						stem = append(stem, v)
						break
					}
				}
			}
			if len(stem) == 1 {
				positive = stem[0]
			}
		}
		if positive == "" {
			return nil, fmt.Errorf("cannot tell which value of %q means \"left\"; give --positive", c.Label)
		}
	} else if values[positive] == 0 {
		return nil, fmt.Errorf("no row has %q = %q", c.Label, positive)
	}
	y := make([]float64, len(rows))
	for r, row := range rows {
		if strings.TrimSpace(row[col]) == positive {
			y[r] = 1
		}
	}
	return y, nil
}
