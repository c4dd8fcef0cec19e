package retention

import (
	"context"
	"math"
	"slices"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/churn"
)

// maxReasons is how many reasons a customer's risk is given.
const maxReasons = 3

// FindChurnRisks lists the riskiest customers in scope with the reasons
// behind each score.
func (s *Service) FindChurnRisks(ctx context.Context, f kewei.ChurnFilter) ([]*kewei.ChurnRisk, error) {
	list, err := s.Store.FindChurnRisks(ctx, f)
	if err != nil || len(list) == 0 {
		return list, err
	}
	return list, s.explain(ctx, list)
}

// CustomerChurn is one customer's score and reasons, nil when the
// customer was not scored.
func (s *Service) CustomerChurn(ctx context.Context, id int64) (*kewei.ChurnRisk, error) {
	r, err := s.Store.CustomerChurn(ctx, id)
	if err != nil || r == nil {
		return r, err
	}
	return r, s.explain(ctx, []*kewei.ChurnRisk{r})
}

// explain gives each listed customer the features that raise the active
// model's score most, computed from what is known now.
func (s *Service) explain(ctx context.Context, list []*kewei.ChurnRisk) error {
	lm, err := s.active(ctx)
	if err != nil || lm == nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.CustomerID
	}
	// The caller's scope allowed these customers; their features are read
	// as the program.
	t, err := s.Store.ChurnData(system(ctx), kewei.ChurnDataRequest{AsOf: s.now(), Customers: ids})
	if err != nil {
		return err
	}
	d := Dataset(t)
	ex, err := lm.model.Explain(d)
	if err != nil {
		return err
	}
	row := map[int64]int{}
	for i, id := range t.IDs {
		row[id] = i
	}
	for _, r := range list {
		if i, ok := row[r.CustomerID]; ok {
			r.Reasons = reasons(lm.info.Card, d, i, ex[i])
		}
	}
	return nil
}

// reasons are the features with the largest positive contributions to
// row i's score, each with its value and, for a number, its median among
// the customers of the same tier who stayed.
func reasons(card kewei.ChurnCard, d *churn.Dataset, i int, e churn.Explanation) []kewei.ChurnReason {
	order := make([]int, len(e.Contributions))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case e.Contributions[a] > e.Contributions[b]:
			return -1
		case e.Contributions[a] < e.Contributions[b]:
			return 1
		}
		return 0
	})
	tier := ""
	for _, f := range d.Features {
		if f.Name == "tier" {
			tier = f.Cat[i]
		}
	}
	var out []kewei.ChurnReason
	for _, j := range order {
		c := e.Contributions[j]
		if c <= 0 || len(out) == maxReasons {
			break
		}
		f := &d.Features[j]
		r := kewei.ChurnReason{Feature: f.Name, Contribution: c}
		if f.Kind == churn.Categorical {
			r.Value = f.Cat[i]
		} else {
			r.Value = number(f.Num[i])
			typ := card.Typical[f.Name]
			if v, ok := typ[tier]; ok {
				r.Typical = number(v)
			} else if v, ok := typ[""]; ok {
				r.Typical = number(v)
			}
		}
		out = append(out, r)
	}
	return out
}

// number writes a feature's value plainly: whole numbers whole, others
// to two places, nothing for a missing one.
func number(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.Abs(v-math.Round(v)) < 1e-9 || math.Abs(v) >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
