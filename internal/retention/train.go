package retention

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/churn"
)

// DefaultHorizon is the days after the cutoff a model learns losses in.
const DefaultHorizon = 180

// TrainChurn learns who was lost in the horizon after the cutoff from
// what was known before it, keeps the model as the active one (the
// earlier ones stay) and scores every customer with it.
func (s *Service) TrainChurn(ctx context.Context, r kewei.ChurnTrainRequest) (*kewei.ChurnModel, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators train the churn model")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	if r.HorizonDays == 0 {
		r.HorizonDays = DefaultHorizon
	}
	if !r.Label.Any() {
		r.Label.Stage, r.Label.Contract, r.Label.Inactive = true, true, true
	}
	asOf := r.AsOf.Time(s.loc())
	if r.AsOf.IsZero() {
		today := kewei.DateOf(now.In(s.loc()))
		asOf = today.Time(s.loc()).AddDate(0, 0, -r.HorizonDays)
	}
	if asOf.AddDate(0, 0, r.HorizonDays).After(now) {
		var p kewei.Problems
		p.Add("as_of", kewei.ReasonOutOfRange, "the horizon after the cutoff has not passed yet: choose a cutoff at least %d days ago", r.HorizonDays)
		return nil, p.Err()
	}
	t, err := s.Store.ChurnData(ctx, kewei.ChurnDataRequest{AsOf: asOf, HorizonDays: r.HorizonDays, Label: r.Label})
	if err != nil {
		return nil, err
	}
	d := Dataset(t)
	m, err := churn.Train(d, churn.Blend, s.params())
	if err != nil {
		return nil, kewei.Errorf(kewei.EINVALID, "cannot train on the customers as of %s: %v", kewei.DateOf(asOf), err)
	}
	info := &kewei.ChurnModel{AsOf: asOf, HorizonDays: r.HorizonDays, Label: r.Label, Rows: d.Rows(), Left: d.Positives(),
		ROCAUC: m.Valid.ROCAUC, PRAUC: m.Valid.PRAUC}
	if info.Card, err = card(m, d); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SaveChurnModel(ctx, info, raw); err != nil {
		return nil, err
	}
	if _, err := s.ScoreChurn(ctx, now); err != nil {
		return info, err
	}
	return info, nil
}

// card describes a trained model: its figures, its calibration, what its
// features weigh, and what is typical per tier among those who stayed.
func card(m *churn.Model, d *churn.Dataset) (kewei.ChurnCard, error) {
	c := kewei.ChurnCard{Algorithm: string(m.Algorithm), TreeShare: m.TreeShare, Accuracy: m.Valid.Accuracy, F1: m.Valid.F1,
		LogLoss: m.Valid.LogLoss, Baseline: m.LinearROCAUC, Took: m.Took.Round(time.Millisecond).String(),
		Typical: map[string]map[string]float64{}}
	if m.Trees != nil {
		c.Trees = len(m.Trees.Trees)
	}
	for _, b := range m.Calibration {
		c.Calibration = append(c.Calibration, kewei.CalibrationBin{Predicted: b.Predicted, Observed: b.Observed, Rows: b.Rows})
	}
	// What each feature weighs: the mean absolute contribution over up to
	// 2,000 rows spread over the table.
	step := max(1, d.Rows()/2000)
	var idx []int
	for i := 0; i < d.Rows(); i += step {
		idx = append(idx, i)
	}
	ex, err := m.Explain(d.Subset(idx))
	if err != nil {
		return c, err
	}
	weight := make([]float64, len(d.Features))
	total := 0.0
	for _, e := range ex {
		for j, v := range e.Contributions {
			weight[j] += math.Abs(v)
			total += math.Abs(v)
		}
	}
	for j, f := range d.Features {
		share := 0.0
		if total > 0 {
			share = weight[j] / total
		}
		c.Features = append(c.Features, kewei.FeatureWeight{Name: f.Name, Share: share})
	}
	slices.SortStableFunc(c.Features, func(a, b kewei.FeatureWeight) int {
		switch {
		case a.Share > b.Share:
			return -1
		case a.Share < b.Share:
			return 1
		}
		return 0
	})
	// Typical values: medians among those who stayed, per tier and in all.
	var tiers []string
	for _, f := range d.Features {
		if f.Name == "tier" {
			tiers = f.Cat
		}
	}
	for _, f := range d.Features {
		if f.Kind != churn.Numeric {
			continue
		}
		groups := map[string][]float64{}
		for i, v := range f.Num {
			if d.Label[i] != 0 || math.IsNaN(v) {
				continue
			}
			groups[""] = append(groups[""], v)
			if tiers != nil && tiers[i] != "" {
				groups[tiers[i]] = append(groups[tiers[i]], v)
			}
		}
		c.Typical[f.Name] = map[string]float64{}
		for g, vals := range groups {
			if len(vals) >= 20 {
				c.Typical[f.Name][g] = median(vals)
			}
		}
	}
	return c, nil
}

func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
