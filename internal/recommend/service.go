package recommend

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// Purchases is what the service needs of the database: every purchase,
// each customer's together, and every customer's tier.
type Purchases interface {
	EachPurchase(ctx context.Context, fn func(customerID int64, product string, at time.Time) error) error
	EachTier(ctx context.Context, fn func(customerID int64, tier kewei.Tier) error) error
}

// Visible checks that the caller may see a customer.
type Visible func(ctx context.Context, id int64) error

// OneOffs returns the one-off products (codes and names) a customer holds
// or bought, never to be recommended to them; nil when there is no
// catalogue.
type OneOffs func(ctx context.Context, customerID int64) ([]string, error)

// Service is kewei.RecommendService: a model of every purchase, kept in
// memory, retrained nightly.
type Service struct {
	Store   Purchases
	Visible Visible
	OneOffs OneOffs
	Options Options

	mu       sync.Mutex
	model    *Model
	tiers    *tierStats
	run      *kewei.RecommenderRun
	training bool
}

var _ kewei.RecommendService = (*Service)(nil)

// TrainRecommender learns from every purchase and replaces the model.
func (s *Service) TrainRecommender(ctx context.Context) (*kewei.RecommenderRun, error) {
	start := time.Now()
	t := NewTrainer(s.Options)
	lines := 0
	var last int64
	var key string
	err := s.Store.EachPurchase(ctx, func(id int64, product string, at time.Time) error {
		if id != last || key == "" {
			last, key = id, strconv.FormatInt(id, 10)
		}
		t.Add(key, product, at)
		lines++
		return nil
	})
	if err != nil {
		return nil, err
	}
	m := t.Finish()
	st, err := countTiers(ctx, m, s.Store.EachTier)
	if err != nil {
		return nil, err
	}
	run := &kewei.RecommenderRun{Customers: len(m.who), Products: len(m.products), Lines: lines, At: time.Now().UTC(),
		Took: time.Since(start).Round(time.Millisecond).String()}
	s.mu.Lock()
	s.model, s.tiers, s.run = m, st, run
	s.mu.Unlock()
	return run, nil
}

// trained returns the model and tier counts of the last training.
func (s *Service) trained() (*Model, *tierStats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model, s.tiers
}

// Recommend gives the customer's k likeliest next products. Before the
// first training it gives none, and starts one in the background.
func (s *Service) Recommend(ctx context.Context, customerID int64, k int, newOnly bool) ([]kewei.Recommendation, error) {
	if err := s.Visible(ctx, customerID); err != nil {
		return nil, err
	}
	if k <= 0 || k > 50 {
		k = 10
	}
	s.mu.Lock()
	m := s.model
	start := m == nil && !s.training
	if start {
		s.training = true
	}
	s.mu.Unlock()
	if start {
		go func() {
			_, _ = s.TrainRecommender(kewei.WithActor(context.WithoutCancel(ctx), kewei.SystemActor))
			s.mu.Lock()
			s.training = false
			s.mu.Unlock()
		}()
	}
	if m == nil {
		return []kewei.Recommendation{}, nil
	}
	except, err := s.oneOffs(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return toRecommendations(m.RecommendExcept(strconv.FormatInt(customerID, 10), k, newOnly, except)), nil
}

// Suggest gives the customer's k likeliest next purchases for a planned
// task's talking points: no scope check (the planner runs as an
// administrator or the system), and none before the first training, which
// it does not start.
func (s *Service) Suggest(ctx context.Context, customerID int64, k int) ([]kewei.Recommendation, error) {
	m, _ := s.trained()
	if m == nil {
		return nil, nil
	}
	except, err := s.oneOffs(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return toRecommendations(m.RecommendExcept(strconv.FormatInt(customerID, 10), k, false, except)), nil
}

// oneOffs is what the customer must not be offered: none without a
// catalogue.
func (s *Service) oneOffs(ctx context.Context, customerID int64) ([]string, error) {
	if s.OneOffs == nil {
		return nil, nil
	}
	return s.OneOffs(ctx, customerID)
}

func toRecommendations(recs []Rec) []kewei.Recommendation {
	out := make([]kewei.Recommendation, len(recs))
	for i, r := range recs {
		out[i] = kewei.Recommendation{Product: r.Product, Score: r.Score, Kind: r.Kind, Times: r.Times, Because: r.Because,
			Share: r.Share, Buyers: r.Buyers}
	}
	return out
}
