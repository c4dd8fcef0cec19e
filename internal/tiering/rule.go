package tiering

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/value"
)

// ruleTiers applies one rule: the tier it gives each customer it has a
// number for, and that number.
func ruleTiers(ctx context.Context, st kewei.TierStore, r *kewei.TierRule, ids []int64,
	sumsOver func(months int) ([]kewei.PurchaseSum, error)) (map[int64]kewei.Tier, map[int64]float64, error) {
	numbers := map[int64]float64{}
	switch r.Metric {
	case kewei.MetricRevenue, kewei.MetricProfit:
		sums, err := sumsOver(r.WindowMonths)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range sums {
			m := s.Revenue
			if r.Metric == kewei.MetricProfit {
				m = s.Profit
			}
			numbers[s.CustomerID] = m.Float()
		}
	case kewei.MetricBalance:
		b, err := st.Balances(ctx, r.Category)
		if err != nil {
			return nil, nil, err
		}
		for id, m := range b {
			numbers[id] = m.Float()
		}
	case kewei.MetricField:
		f, err := st.FieldNumbers(ctx, r.Field)
		if err != nil {
			return nil, nil, err
		}
		numbers = f
	}
	tiers := make(map[int64]kewei.Tier, len(numbers))
	switch r.Method {
	case kewei.TierPareto:
		scores := make([]value.Score, 0, len(numbers))
		for id, v := range numbers {
			scores = append(scores, value.Score{CustomerID: id, Value: v})
		}
		for id, t := range value.Pareto(scores, len(ids), value.Shares{A: r.ShareA, B: r.ShareB, C: r.ShareC}) {
			tiers[id] = kewei.Tier(t)
		}
	case kewei.TierBands:
		bands := make([]value.Band, len(r.Bands))
		for i, b := range r.Bands {
			bands[i] = value.Band{Min: b.Min.Float(), Tier: string(b.Tier), Label: b.Label}
		}
		for id, v := range numbers {
			if b, ok := value.Banded(v, bands); ok {
				tiers[id] = kewei.Tier(b.Tier)
			}
		}
	}
	return tiers, numbers, nil
}

// scoreValues builds every customer's value, in customer order: the tier
// the rules gave and RFM over the run's window.
func scoreValues(ids []int64, best []kewei.Tier, from []int64, val []float64, sums []kewei.PurchaseSum, asOf time.Time) []kewei.CustomerValue {
	acts := make([]value.Activity, 0, len(sums))
	for _, s := range sums {
		if s.Count > 0 {
			acts = append(acts, value.Activity{CustomerID: s.CustomerID, Last: s.Last, Count: s.Count, Amount: s.Revenue.Float()})
		}
	}
	scores := value.ScoreRFM(acts, asOf)
	out := make([]kewei.CustomerValue, len(ids))
	for i, id := range ids {
		out[i] = kewei.CustomerValue{CustomerID: id, Tier: best[i], RuleID: from[i], Value: val[i]}
	}
	// sums and ids are both in customer order.
	at := 0
	for _, s := range sums {
		for at < len(ids) && ids[at] < s.CustomerID {
			at++
		}
		if at == len(ids) || ids[at] != s.CustomerID {
			continue
		}
		v := &out[at]
		v.Revenue, v.Profit, v.Count, v.Last = s.Revenue, s.Profit, s.Count, s.Last
	}
	for _, r := range scores {
		if i := search(ids, r.CustomerID); i >= 0 {
			out[i].R, out[i].F, out[i].M, out[i].Segment = r.R, r.F, r.M, r.Segment
		}
	}
	return out
}

func search(ids []int64, id int64) int {
	lo, hi := 0, len(ids)
	for lo < hi {
		m := (lo + hi) / 2
		if ids[m] < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ids) && ids[lo] == id {
		return lo
	}
	return -1
}
