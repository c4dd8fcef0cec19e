package tiering

import (
	"context"
	"sort"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/value"
)

// Report is the value picture of the customers an actor sees: the two
// pyramids (customers and profit by tier), the Pareto curve, the RFM grid
// and segments, and revenue by region.
type Report struct {
	Customers int           `json:"customers"`
	Revenue   kewei.Money   `json:"revenue"`
	Profit    kewei.Money   `json:"profit"`
	Tiers     []TierLine    `json:"tiers"`
	Curve     []value.Point `json:"pareto_curve"`
	Top1      float64       `json:"top_1_share" doc:"Share of revenue held by the top 1% of customers."`
	Top5      float64       `json:"top_5_share"`
	Top20     float64       `json:"top_20_share"`
	Segments  []SegmentLine `json:"segments"`
	// Grid counts customers by recency (rows, R 5 first) and frequency
	// (columns, F 1 first).
	Grid    [5][5]int    `json:"rfm_grid"`
	Regions []RegionLine `json:"regions"`
}

// TierLine is one tier of the pyramids.
type TierLine struct {
	Tier      kewei.Tier  `json:"tier"`
	Customers int         `json:"customers"`
	Revenue   kewei.Money `json:"revenue"`
	Profit    kewei.Money `json:"profit"`
}

// SegmentLine is one RFM segment.
type SegmentLine struct {
	Segment   string      `json:"segment"`
	Customers int         `json:"customers"`
	Revenue   kewei.Money `json:"revenue"`
}

// RegionLine is one province.
type RegionLine struct {
	Province  string      `json:"province"`
	Customers int         `json:"customers"`
	Revenue   kewei.Money `json:"revenue"`
}

// BuildReport reads the stored values the actor may see and sums them.
func BuildReport(ctx context.Context, st kewei.TierStore, f kewei.ValueFilter) (*Report, error) {
	r := &Report{}
	tiers := map[kewei.Tier]*TierLine{}
	for _, t := range kewei.Tiers {
		l := &TierLine{Tier: t}
		tiers[t] = l
	}
	segs := map[string]*SegmentLine{}
	regions := map[string]*RegionLine{}
	var scores []value.Score
	err := st.FindCustomerValues(ctx, f, func(v kewei.CustomerValue, province string) error {
		r.Customers++
		r.Revenue += v.Revenue
		r.Profit += v.Profit
		if l := tiers[v.Tier]; l != nil {
			l.Customers++
			l.Revenue += v.Revenue
			l.Profit += v.Profit
		}
		if v.Segment != "" {
			s := segs[v.Segment]
			if s == nil {
				s = &SegmentLine{Segment: v.Segment}
				segs[v.Segment] = s
			}
			s.Customers++
			s.Revenue += v.Revenue
			r.Grid[5-v.R][v.F-1]++
		}
		g := regions[province]
		if g == nil {
			g = &RegionLine{Province: province}
			regions[province] = g
		}
		g.Customers++
		g.Revenue += v.Revenue
		scores = append(scores, value.Score{CustomerID: v.CustomerID, Value: v.Revenue.Float()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range kewei.Tiers {
		r.Tiers = append(r.Tiers, *tiers[t])
	}
	for _, name := range value.SegmentNames {
		if s := segs[name]; s != nil {
			r.Segments = append(r.Segments, *s)
		}
	}
	for _, g := range regions {
		r.Regions = append(r.Regions, *g)
	}
	sort.Slice(r.Regions, func(i, j int) bool {
		if r.Regions[i].Revenue != r.Regions[j].Revenue {
			return r.Regions[i].Revenue > r.Regions[j].Revenue
		}
		return r.Regions[i].Province < r.Regions[j].Province
	})
	r.Curve = value.Curve(scores, 100)
	r.Top1, r.Top5, r.Top20 = value.TopShare(scores, 0.01), value.TopShare(scores, 0.05), value.TopShare(scores, 0.20)
	return r, nil
}
