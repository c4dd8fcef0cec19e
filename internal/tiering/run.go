// Package tiering re-tiers customers: it reads the sums the store gives,
// scores them with package value, and hands the results back to the store.
package tiering

import (
	"context"
	"fmt"
	"time"

	"github.com/kewei-crm/kewei"
)

// Request says how to re-tier.
type Request struct {
	// AsOf is the last day counted; today when zero.
	AsOf kewei.Date
	// Window is the months RFM looks back over, and the default of rules
	// that have none; 0 means all history.
	Window int
	// Progress hears each step; it may be nil.
	Progress func(step string, done, total int)
	// Location is the business's time zone, where days begin; local when nil.
	Location *time.Location
	// Started, when set, hears the run once it is recorded.
	Started func(run *kewei.TierRun)
}

// DefaultRule is the rule used while an administrator has set none: Pareto
// by revenue over 12 months with the 1% / 4% / 15% / 80% split.
var DefaultRule = kewei.TierRule{Name: "默认 Pareto", Method: kewei.TierPareto, Metric: kewei.MetricRevenue,
	WindowMonths: 12, ShareA: 0.01, ShareB: 0.05, ShareC: 0.20, Enabled: true}

// Steps of a run, as progress reports them.
const (
	StepReading = "reading"
	StepScoring = "scoring"
	StepWriting = "writing"
)

// Run re-tiers every customer and records the run. The context must carry
// an administrator or the system.
func Run(ctx context.Context, st kewei.TierStore, req Request) (*kewei.TierRun, error) {
	loc := req.Location
	if loc == nil {
		loc = time.Local
	}
	if req.AsOf.IsZero() {
		req.AsOf = kewei.DateOf(time.Now().In(loc))
	}
	report := func(step string, done, total int) {
		if req.Progress != nil {
			req.Progress(step, done, total)
		}
	}
	run := &kewei.TierRun{AsOf: req.AsOf, Window: req.Window, Step: StepReading}
	if err := st.StartTierRun(ctx, run); err != nil {
		return nil, err
	}
	if req.Started != nil {
		req.Started(run)
	}
	err := retier(ctx, st, req, loc, run, report)
	if err != nil {
		run.Status, run.Error = kewei.RunFailed, err.Error()
	} else {
		run.Status, run.Step = kewei.RunDone, ""
	}
	// The run's row is closed even when the caller gave up.
	if uerr := st.UpdateTierRun(context.WithoutCancel(ctx), run); uerr != nil && err == nil {
		err = uerr
	}
	return run, err
}

func retier(ctx context.Context, st kewei.TierStore, req Request, loc *time.Location, run *kewei.TierRun, report func(string, int, int)) error {
	rules, err := enabledRules(ctx, st)
	if err != nil {
		return err
	}
	report(StepReading, 0, len(rules)+2)
	until := dayStart(req.AsOf, loc).AddDate(0, 0, 1)
	// The customers are listed while the transactions are summed.
	type idList struct {
		ids []int64
		err error
	}
	listed := make(chan idList, 1)
	go func() {
		ids, err := st.CustomerIDs(ctx)
		listed <- idList{ids, err}
	}()
	sums := map[int][]kewei.PurchaseSum{}
	sumsOver := func(months int) ([]kewei.PurchaseSum, error) {
		if s, ok := sums[months]; ok {
			return s, nil
		}
		var since time.Time
		if months > 0 {
			since = until.AddDate(0, -months, 0)
		}
		s, err := st.SumPurchases(ctx, since, until)
		sums[months] = s
		return s, err
	}
	rfmSums, err := sumsOver(req.Window)
	l := <-listed
	switch {
	case err != nil:
		return err
	case l.err != nil:
		return l.err
	}
	ids := l.ids
	run.Customers = len(ids)
	best := make([]kewei.Tier, len(ids))
	from := make([]int64, len(ids))
	val := make([]float64, len(ids))
	for i := range best {
		best[i] = kewei.TierD
	}
	// RFM is scored on the second core while the rules run.
	scored := make(chan *rfmScores, 1)
	go func() { scored <- scoreRFM(ids, rfmSums, dayStart(req.AsOf, loc)) }()
	for n, r := range rules {
		report(StepReading, n+1, len(rules)+2)
		tiers, values, err := ruleTiers(ctx, st, r, ids, sumsOver)
		if err != nil {
			return fmt.Errorf("rule %q: %w", r.Name, err)
		}
		for i, t := range tiers {
			if t == "" {
				continue
			}
			if t < best[i] || (t == best[i] && from[i] == 0 && t != kewei.TierD) {
				best[i], from[i], val[i] = t, r.ID, values[i]
			}
		}
	}
	report(StepScoring, len(rules)+1, len(rules)+2)
	values := scoreValues(ids, best, from, val, <-scored)
	if err := ctx.Err(); err != nil {
		return err
	}
	run.Step = StepWriting
	report(StepWriting, len(rules)+2, len(rules)+2)
	_ = st.UpdateTierRun(ctx, run)
	run.Changed, err = st.ApplyTiers(ctx, run, values)
	return err
}

func enabledRules(ctx context.Context, st kewei.TierStore) ([]*kewei.TierRule, error) {
	all, err := st.FindTierRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []*kewei.TierRule
	for _, r := range all {
		if r.Enabled {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		d := DefaultRule
		out = append(out, &d)
	}
	return out, nil
}

// dayStart is the first instant of d in loc.
func dayStart(d kewei.Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}
