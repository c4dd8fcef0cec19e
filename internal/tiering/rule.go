package tiering

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/value"
)

// ruleTiers applies one rule to the customers ids (in id order): the tier
// it gives each (or "" where it has no number for the customer) and that
// number, both aligned with ids.
func ruleTiers(ctx context.Context, st kewei.TierStore, r *kewei.TierRule, ids []int64,
	sumsOver func(months int) ([]kewei.PurchaseSum, error)) ([]kewei.Tier, []float64, error) {
	nums := make([]float64, len(ids))
	has := make([]bool, len(ids))
	switch r.Metric {
	case kewei.MetricRevenue, kewei.MetricProfit:
		sums, err := sumsOver(r.WindowMonths)
		if err != nil {
			return nil, nil, err
		}
		// Both lists are in customer order.
		at := 0
		for _, s := range sums {
			for at < len(ids) && ids[at] < s.CustomerID {
				at++
			}
			if at == len(ids) || ids[at] != s.CustomerID {
				continue
			}
			m := s.Revenue
			if r.Metric == kewei.MetricProfit {
				m = s.Profit
			}
			nums[at], has[at] = m.Float(), true
		}
	case kewei.MetricBalance:
		b, err := st.Balances(ctx, r.Category)
		if err != nil {
			return nil, nil, err
		}
		for i, id := range ids {
			if m, ok := b[id]; ok {
				nums[i], has[i] = m.Float(), true
			}
		}
	case kewei.MetricField:
		f, err := st.FieldNumbers(ctx, r.Field)
		if err != nil {
			return nil, nil, err
		}
		for i, id := range ids {
			if v, ok := f[id]; ok {
				nums[i], has[i] = v, true
			}
		}
	}
	tiers := make([]kewei.Tier, len(ids))
	switch r.Method {
	case kewei.TierPareto:
		var vals []float64
		var at []int
		for i := range ids {
			if has[i] {
				vals = append(vals, nums[i])
				at = append(at, i)
			}
		}
		for k, t := range value.ParetoOf(vals, len(ids), value.Shares{A: r.ShareA, B: r.ShareB, C: r.ShareC}) {
			tiers[at[k]] = kewei.Tier(t)
		}
	case kewei.TierBands:
		bands := make([]value.Band, len(r.Bands))
		for i, b := range r.Bands {
			bands[i] = value.Band{Min: b.Min.Float(), Tier: string(b.Tier), Label: b.Label}
		}
		for i := range ids {
			if !has[i] {
				continue
			}
			if b, ok := value.Banded(nums[i], bands); ok {
				tiers[i] = kewei.Tier(b.Tier)
			}
		}
	}
	return tiers, nums, nil
}

// rfmScores are the RFM scores of the customers who bought in the window.
type rfmScores struct {
	sums   []kewei.PurchaseSum // the buyers' sums
	pos    []int               // each buyer's place among the ids
	scores []value.RFM
}

// scoreRFM scores the buyers among ids (both lists in customer order).
func scoreRFM(ids []int64, sums []kewei.PurchaseSum, asOf time.Time) *rfmScores {
	r := &rfmScores{}
	acts := make([]value.Activity, 0, len(sums))
	at := 0
	for _, s := range sums {
		for at < len(ids) && ids[at] < s.CustomerID {
			at++
		}
		if at == len(ids) || ids[at] != s.CustomerID || s.Count == 0 {
			continue
		}
		acts = append(acts, value.Activity{CustomerID: s.CustomerID, Last: s.Last, Count: s.Count, Amount: s.Revenue.Float()})
		r.sums = append(r.sums, s)
		r.pos = append(r.pos, at)
	}
	r.scores = value.ScoreRFM(acts, asOf)
	return r
}

// scoreValues builds every customer's value, in customer order: the tier
// the rules gave and the RFM scores.
func scoreValues(ids []int64, best []kewei.Tier, from []int64, val []float64, rfm *rfmScores) []kewei.CustomerValue {
	out := make([]kewei.CustomerValue, len(ids))
	for i, id := range ids {
		out[i] = kewei.CustomerValue{CustomerID: id, Tier: best[i], RuleID: from[i], Value: val[i]}
	}
	for k, r := range rfm.scores {
		v, s := &out[rfm.pos[k]], rfm.sums[k]
		v.Revenue, v.Profit, v.Count, v.Last = s.Revenue, s.Profit, s.Count, s.Last
		v.R, v.F, v.M, v.Segment = r.R, r.F, r.M, r.Segment
	}
	return out
}
