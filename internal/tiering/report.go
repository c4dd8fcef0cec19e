package tiering

import (
	"context"
	"sort"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/value"
)

// BuildReport reads the stored values the actor may see and sums them.
func BuildReport(ctx context.Context, st kewei.TierStore, f kewei.ValueFilter) (*kewei.ValueReport, error) {
	// Lists are empty, not null, when nobody in scope has a value yet.
	r := &kewei.ValueReport{Segments: []kewei.SegmentLine{}, Regions: []kewei.RegionLine{}, Curve: []kewei.CurvePoint{}}
	tiers := map[kewei.Tier]*kewei.TierLine{}
	for _, t := range kewei.Tiers {
		l := &kewei.TierLine{Tier: t}
		tiers[t] = l
	}
	segs := map[string]*kewei.SegmentLine{}
	regions := map[string]*kewei.RegionLine{}
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
				s = &kewei.SegmentLine{Segment: v.Segment}
				segs[v.Segment] = s
			}
			s.Customers++
			s.Revenue += v.Revenue
			r.Grid[5-v.R][v.F-1]++
		}
		g := regions[province]
		if g == nil {
			g = &kewei.RegionLine{Province: province}
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
	for _, p := range value.Curve(scores, 100) {
		r.Curve = append(r.Curve, kewei.CurvePoint{Customers: p.Customers, Value: p.Value})
	}
	r.Top1, r.Top5, r.Top20 = value.TopShare(scores, 0.01), value.TopShare(scores, 0.05), value.TopShare(scores, 0.20)
	return r, nil
}
