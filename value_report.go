package kewei

import (
	"context"
	"strconv"
	"strings"
)

// ValueReport is the value picture of the customers an actor sees: the two
// pyramids (customers and profit by tier), the Pareto curve, the RFM grid
// and segments, and revenue by region.
type ValueReport struct {
	Customers int           `json:"customers"`
	Revenue   Money         `json:"revenue"`
	Profit    Money         `json:"profit"`
	Tiers     []TierLine    `json:"tiers"`
	Curve     []CurvePoint  `json:"pareto_curve" doc:"Share of customers (most valuable first) against share of revenue, every 1%."`
	Top1      float64       `json:"top_1_share" doc:"Share of revenue held by the top 1% of customers."`
	Top5      float64       `json:"top_5_share" doc:"Share of revenue held by the top 5%."`
	Top20     float64       `json:"top_20_share" doc:"Share of revenue held by the top 20%."`
	Segments  []SegmentLine `json:"segments"`
	// Grid counts customers by recency (rows, R 5 first) and frequency
	// (columns, F 1 first).
	Grid    [5][5]int    `json:"rfm_grid" doc:"Customers by R (rows, 5 first) and F (columns, 1 first)."`
	Regions []RegionLine `json:"regions"`
}

// CurvePoint is one point of the Pareto curve, both shares between 0 and 1.
type CurvePoint struct {
	Customers float64 `json:"customers"`
	Value     float64 `json:"value"`
}

// TierLine is one tier of the pyramids.
type TierLine struct {
	Tier      Tier  `json:"tier"`
	Customers int   `json:"customers"`
	Revenue   Money `json:"revenue"`
	Profit    Money `json:"profit"`
}

// SegmentLine is one RFM segment.
type SegmentLine struct {
	Segment   string `json:"segment"`
	Customers int    `json:"customers"`
	Revenue   Money  `json:"revenue"`
}

// RegionLine is one province.
type RegionLine struct {
	Province  string `json:"province"`
	Customers int    `json:"customers"`
	Revenue   Money  `json:"revenue"`
}

// TierMigration counts customers by their tier at the end of one day (rows)
// and of a later one (columns), A to D and then "not tiered yet".
type TierMigration struct {
	From   Date      `json:"from"`
	To     Date      `json:"to"`
	Counts [5][5]int `json:"counts" doc:"Rows: tier on from (A, B, C, D, not tiered); columns: tier on to."`
	Up     int       `json:"up" doc:"Customers who moved to a better tier."`
	Down   int       `json:"down" doc:"Customers who moved to a worse tier."`
	Same   int       `json:"same"`
}

// RetierRequest asks for a re-tiering.
type RetierRequest struct {
	AsOf   Date   `json:"as_of" doc:"The last day counted; today when omitted."`
	Window string `json:"window" doc:"How far RFM looks back: 12m when omitted, any number of months such as 6m or 24m, or all."`
}

// ParseWindow reads a window such as 12m, 24m or all into months (0 for
// all history); "" is 12 months.
func ParseWindow(s string) (int, error) {
	switch s {
	case "":
		return 12, nil
	case "all":
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "m"))
	if err != nil || n < 1 || n > 120 || !strings.HasSuffix(s, "m") {
		return 0, Errorf(EINVALID, "window: %q is not a window; give months such as 12m, or all", s)
	}
	return n, nil
}

// TierService is tiering as the API and the pages see it: the store's rules,
// overrides and history, runs in the background, and the reports.
type TierService interface {
	TierStore
	// StartRetier starts a run in the background and returns it at once;
	// administrators only.
	StartRetier(ctx context.Context, req RetierRequest) (*TierRun, error)
	ValueReport(ctx context.Context, f ValueFilter) (*ValueReport, error)
	TierMigration(ctx context.Context, from, to Date, f ValueFilter) (*TierMigration, error)
}
