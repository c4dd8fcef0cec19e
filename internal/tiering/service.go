package tiering

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// Service runs re-tiering in the background for the API, the pages and the
// nightly schedule, and reads the reports.
type Service struct {
	kewei.TierStore
	Location *time.Location
	Logger   *slog.Logger

	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
	cancel  context.CancelFunc
}

var _ kewei.TierService = (*Service)(nil)

// StartRetier starts a run and returns it once it is recorded; the work goes
// on after the request ends, as the system on behalf of the administrator.
func (s *Service) StartRetier(ctx context.Context, req kewei.RetierRequest) (*kewei.TierRun, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators may re-tier customers")
	}
	window, err := kewei.ParseWindow(req.Window)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return nil, kewei.Errorf(kewei.ECONFLICT, "a re-tiering is already under way")
	}
	bg, cancel := context.WithCancel(kewei.WithActor(context.WithoutCancel(ctx), a))
	s.running, s.cancel = true, cancel
	s.mu.Unlock()
	started := make(chan *kewei.TierRun, 1)
	failed := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			s.running = false
			s.mu.Unlock()
			cancel()
		}()
		run, err := Run(bg, s.TierStore, Request{AsOf: req.AsOf, Window: window, Location: s.Location,
			Started: func(r *kewei.TierRun) { cp := *r; started <- &cp }})
		if run == nil {
			failed <- err
			return
		}
		if err != nil && s.Logger != nil {
			s.Logger.Error("re-tiering failed", "run", run.ID, "err", err)
		}
	}()
	select {
	case r := <-started:
		return r, nil
	case err := <-failed:
		return nil, err
	}
}

// Close stops a run under way and waits for it.
func (s *Service) Close() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// ValueReport sums the values the actor may see.
func (s *Service) ValueReport(ctx context.Context, f kewei.ValueFilter) (*kewei.ValueReport, error) {
	return BuildReport(ctx, s.TierStore, f)
}

// TierMigration compares the tiers of two days.
func (s *Service) TierMigration(ctx context.Context, from, to kewei.Date, f kewei.ValueFilter) (*kewei.TierMigration, error) {
	return BuildMigration(ctx, s.TierStore, from, to, f, s.Location)
}
