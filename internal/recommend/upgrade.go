package recommend

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// tierStats counts, per tier, the customers and how many of them bought
// each product.
type tierStats struct {
	customers map[kewei.Tier]int
	buyers    map[kewei.Tier][]int32
}

// countTiers reads every customer's tier and counts the buyers of each
// product of the model per tier.
func countTiers(ctx context.Context, m *Model, each func(context.Context, func(int64, kewei.Tier) error) error) (*tierStats, error) {
	st := &tierStats{customers: map[kewei.Tier]int{}, buyers: map[kewei.Tier][]int32{}}
	for _, t := range kewei.Tiers {
		st.buyers[t] = make([]int32, len(m.products))
	}
	err := each(ctx, func(id int64, t kewei.Tier) error {
		b, ok := st.buyers[t]
		if !ok {
			return nil
		}
		st.customers[t]++
		if c, ok := m.who[strconv.FormatInt(id, 10)]; ok {
			items, _, _ := m.basket(c)
			for _, p := range items {
				b[p]++
			}
		}
		return nil
	})
	return st, err
}

// paths gives, for D, C and B, up to ten products whose share of buyers is
// higher in the next tier, by the gap between the shares.
func (st *tierStats) paths(m *Model) []kewei.UpgradePath {
	var out []kewei.UpgradePath
	for _, t := range []kewei.Tier{kewei.TierD, kewei.TierC, kewei.TierB} {
		next := kewei.NextTier(t)
		p := kewei.UpgradePath{Tier: t, Next: next, Customers: st.customers[t], NextCustomers: st.customers[next],
			Products: []kewei.UpgradeProduct{}}
		if p.Customers > 0 && p.NextCustomers > 0 {
			for i, name := range m.products {
				up := kewei.UpgradeProduct{Product: name, Share: float64(st.buyers[t][i]) / float64(p.Customers),
					NextShare: float64(st.buyers[next][i]) / float64(p.NextCustomers)}
				if up.NextShare > up.Share {
					p.Products = append(p.Products, up)
				}
			}
			slices.SortFunc(p.Products, func(a, b kewei.UpgradeProduct) int {
				ga, gb := a.NextShare-a.Share, b.NextShare-b.Share
				switch {
				case ga > gb:
					return -1
				case ga < gb:
					return 1
				}
				return strings.Compare(a.Product, b.Product)
			})
			p.Products = p.Products[:min(len(p.Products), 10)]
		}
		out = append(out, p)
	}
	return out
}

// UpgradeStore is what upgrade paths need of the database.
type UpgradeStore interface {
	Candidates(ctx context.Context, f kewei.UpgradeFilter) ([]*kewei.UpgradeCandidate, error)
	// Owners returns the owner and tier of customers in scope; one out of
	// scope is not found.
	Owners(ctx context.Context, ids []int64) (map[int64]kewei.CustomerFacts, error)
	AddTasks(ctx context.Context, ts []kewei.PlannedTask, dueAt func(kewei.Date) time.Time) (int, error)
}

// Upgrades is kewei.UpgradeService: the paths come from the recommender's
// last training, the candidates from the last re-tiering.
type Upgrades struct {
	Recommender *Service
	Store       UpgradeStore
	// Location is where days begin and tasks fall due (at 10:00).
	Location *time.Location
	Now      func() time.Time
}

var _ kewei.UpgradeService = (*Upgrades)(nil)

// UpgradePaths gives each tier's path as of the last training; none before
// the first.
func (u *Upgrades) UpgradePaths(ctx context.Context) ([]kewei.UpgradePath, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	m, st := u.Recommender.trained()
	if m == nil || st == nil {
		return []kewei.UpgradePath{}, nil
	}
	return st.paths(m), nil
}

// UpgradeCandidates lists the customers in scope closest to the next tier,
// with the upgrade products of their tier they have not bought.
func (u *Upgrades) UpgradeCandidates(ctx context.Context, f kewei.UpgradeFilter) ([]*kewei.UpgradeCandidate, error) {
	cs, err := u.Store.Candidates(ctx, f)
	if err != nil {
		return nil, err
	}
	m, st := u.Recommender.trained()
	var paths []kewei.UpgradePath
	if m != nil && st != nil {
		paths = st.paths(m)
	}
	for _, c := range cs {
		c.Missing = missing(m, paths, c.CustomerID, c.Tier, 3)
	}
	return cs, nil
}

// missing lists up to k upgrade products of the tier the customer has not
// bought.
func missing(m *Model, paths []kewei.UpgradePath, id int64, t kewei.Tier, k int) []string {
	out := []string{}
	if m == nil {
		return out
	}
	for _, p := range paths {
		if p.Tier != t {
			continue
		}
		key := strconv.FormatInt(id, 10)
		for _, up := range p.Products {
			if len(out) < k && !m.holds(key, m.index[up.Product]) {
				out = append(out, up.Product)
			}
		}
	}
	return out
}

// CreateUpgradeTasks gives each customer's owner a call about the next
// tier, due on the day asked (today by default), naming what customers of
// the next tier buy that the customer has not.
func (u *Upgrades) CreateUpgradeTasks(ctx context.Context, req kewei.UpgradeTasks) (*kewei.UpgradeTasksResult, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != kewei.RoleManager && !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only managers and administrators hand out upgrade tasks")
	}
	if len(req.CustomerIDs) == 0 || len(req.CustomerIDs) > 1000 {
		var p kewei.Problems
		p.Add("customer_ids", kewei.ReasonOutOfRange, "name 1 to 1000 customers")
		return nil, p.Err()
	}
	loc := u.Location
	if loc == nil {
		loc = time.UTC
	}
	due := req.DueOn
	if due.IsZero() {
		due = kewei.Today(u.Now(), loc)
	}
	owners, err := u.Store.Owners(ctx, req.CustomerIDs)
	if err != nil {
		return nil, err
	}
	m, st := u.Recommender.trained()
	var paths []kewei.UpgradePath
	if m != nil && st != nil {
		paths = st.paths(m)
	}
	var ts []kewei.PlannedTask
	for _, id := range req.CustomerIDs {
		f := owners[id]
		next := kewei.NextTier(f.Tier)
		if next == "" {
			continue
		}
		points := fmt.Sprintf("升级到 %s 级：了解需求，介绍 %s 级客户常用的产品与服务", next, next)
		if miss := missing(m, paths, id, f.Tier, 3); len(miss) > 0 {
			points += "：" + strings.Join(miss, "、")
		}
		ts = append(ts, kewei.PlannedTask{CustomerID: id, StepKey: "upgrade_" + string(next), Anchor: due, Due: due,
			AssigneeID: f.OwnerID, Role: kewei.AssignOwner, Action: kewei.InteractionCall, TalkingPoints: points})
	}
	n, err := u.Store.AddTasks(ctx, ts, func(d kewei.Date) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, loc)
	})
	if err != nil {
		return nil, err
	}
	return &kewei.UpgradeTasksResult{Created: n}, nil
}
