// Package retention runs churn prediction inside the CRM: it trains the
// churn model on the CRM's history, scores every customer with it, gives
// each risky customer's reasons in plain terms and has the playbooks plan
// retention tasks. The models are internal/churn's; the history is the
// store's.
package retention

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/churn"
)

// Store is what the service needs of the database.
type Store interface {
	ChurnData(ctx context.Context, r kewei.ChurnDataRequest) (*kewei.FeatureTable, error)
	SaveChurnModel(ctx context.Context, m *kewei.ChurnModel, model []byte) error
	FindChurnModels(ctx context.Context) ([]*kewei.ChurnModel, error)
	ActiveChurnModel(ctx context.Context, have int64) (*kewei.ChurnModel, []byte, error)
	ActivateChurnModel(ctx context.Context, id int64) error
	SaveChurnScores(ctx context.Context, modelID int64, scores []kewei.ChurnScore) error
	FindChurnRisks(ctx context.Context, f kewei.ChurnFilter) ([]*kewei.ChurnRisk, error)
	CustomerChurn(ctx context.Context, id int64) (*kewei.ChurnRisk, error)
	RecordRetention(ctx context.Context, ids []int64, today kewei.Date, modelID int64) ([]int64, error)
}

// Planner plans playbook tasks for some customers.
type Planner interface {
	FindPlaybooks(ctx context.Context) ([]*kewei.Playbook, error)
	CreatePlaybook(ctx context.Context, pb *kewei.Playbook) error
	PlanFor(ctx context.Context, ids []int64, now time.Time) (int, error)
}

// Service is kewei.ChurnService.
type Service struct {
	Store    Store
	Planner  Planner
	Location *time.Location
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Params are the model's settings; churn.DefaultParams when zero.
	Params churn.Params

	mu     sync.Mutex
	loaded *loadedModel
}

var _ kewei.ChurnService = (*Service)(nil)

type loadedModel struct {
	info  *kewei.ChurnModel
	model *churn.Model
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) loc() *time.Location {
	if s.Location == nil {
		return time.Local
	}
	return s.Location
}

func (s *Service) params() churn.Params {
	if s.Params.Rounds == 0 {
		return churn.DefaultParams()
	}
	return s.Params
}

// system is ctx acting as the program, for reads the caller's scope has
// already allowed.
func system(ctx context.Context) context.Context { return kewei.WithActor(ctx, kewei.SystemActor) }

// active is the active model, decoded once per model.
func (s *Service) active(ctx context.Context) (*loadedModel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var have int64
	if s.loaded != nil {
		have = s.loaded.info.ID
	}
	info, raw, err := s.Store.ActiveChurnModel(ctx, have)
	if err != nil || info == nil {
		return nil, err
	}
	if raw == nil && s.loaded != nil && s.loaded.info.ID == info.ID {
		// The same model; its row may say more now (it was made active).
		s.loaded = &loadedModel{info: info, model: s.loaded.model}
		return s.loaded, nil
	}
	m := &churn.Model{}
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("churn model %d: %w", info.ID, err)
	}
	s.loaded = &loadedModel{info: info, model: m}
	return s.loaded, nil
}

// Dataset turns the store's table into the models' data set, features in
// a fixed order (the order a trained model expects them in).
func Dataset(t *kewei.FeatureTable) *churn.Dataset {
	d := &churn.Dataset{Label: t.Label}
	for _, name := range sortedKeys(t.Numeric) {
		d.Features = append(d.Features, churn.Feature{Name: name, Kind: churn.Numeric, Num: t.Numeric[name]})
	}
	for _, name := range sortedKeys(t.Text) {
		d.Features = append(d.Features, churn.Feature{Name: name, Kind: churn.Categorical, Cat: t.Text[name]})
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// FindChurnModels lists the models, newest first.
func (s *Service) FindChurnModels(ctx context.Context) ([]*kewei.ChurnModel, error) {
	return s.Store.FindChurnModels(ctx)
}

// ActivateChurnModel goes back to an earlier model.
func (s *Service) ActivateChurnModel(ctx context.Context, id int64) error {
	return s.Store.ActivateChurnModel(ctx, id)
}

// ScoreChurn scores every customer in the population now with the active
// model and replaces the risk list.
func (s *Service) ScoreChurn(ctx context.Context, now time.Time) (*kewei.ChurnScoreRun, error) {
	start := time.Now()
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators score customers")
	}
	lm, err := s.active(ctx)
	if err != nil {
		return nil, err
	}
	if lm == nil {
		return nil, kewei.Errorf(kewei.EINVALID, "no churn model has been trained yet")
	}
	t, err := s.Store.ChurnData(ctx, kewei.ChurnDataRequest{AsOf: now})
	if err != nil {
		return nil, err
	}
	p, err := lm.model.Predict(Dataset(t))
	if err != nil {
		return nil, err
	}
	scores := make([]kewei.ChurnScore, len(t.IDs))
	spend := t.Numeric["spend_365d"]
	for i, id := range t.IDs {
		scores[i] = kewei.ChurnScore{CustomerID: id, Probability: p[i], Value: spend[i]}
	}
	if err := s.Store.SaveChurnScores(ctx, lm.info.ID, scores); err != nil {
		return nil, err
	}
	return &kewei.ChurnScoreRun{ModelID: lm.info.ID, Customers: len(scores), Took: time.Since(start).Round(time.Millisecond).String()}, nil
}

// Nightly scores every customer, training a new model first when there
// is none or the active one is older than retrain (0: never by itself).
// A training the data cannot support yet is reported, not fatal: the
// older model, if any, still scores.
func (s *Service) Nightly(ctx context.Context, now time.Time, retrain time.Duration) (string, error) {
	lm, err := s.active(ctx)
	if err != nil {
		return "", err
	}
	if lm == nil || (retrain > 0 && now.Sub(lm.info.CreatedAt) > retrain) {
		m, err := s.TrainChurn(ctx, kewei.ChurnTrainRequest{})
		switch {
		case err == nil:
			return fmt.Sprintf("trained model %d (ROC AUC %.3f) and scored", m.ID, m.ROCAUC), nil
		case kewei.ErrorCode(err) != kewei.EINVALID:
			return "", err
		case lm == nil:
			return "no model yet: " + kewei.ErrorMessage(err), nil
		}
	}
	run, err := s.ScoreChurn(ctx, now)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("scored %d customers with model %d in %s", run.Customers, run.ModelID, run.Took), nil
}
