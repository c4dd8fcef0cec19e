package playbook

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kewei-crm/kewei"
)

// Service is playbooks and tasks for the API, the pages and the daily job:
// the store, plus templates and the planning run.
type Service struct {
	kewei.PlaybookStore
	// Location is where days begin and tasks fall due.
	Location *time.Location
	// DueHour is the hour of the due day a task falls due: inside working
	// hours, so reminders never wake anyone. 10 when zero.
	DueHour int
	// CatchUp is how far back a run plans tasks it missed while the server
	// was down. 14 days when zero.
	CatchUp int
	// EscalateAfter is how long a task may be overdue before it moves to
	// the owner's manager; 0 never.
	EscalateAfter time.Duration
	// Pool, when set, returns neglected customers to the shared pool
	// before each run plans.
	Pool kewei.PoolService
	// Recommender, when set, fills the {推荐} and {recommendations}
	// placeholders of talking points.
	Recommender Recommender
	Logger      *slog.Logger
}

var _ kewei.PlaybookService = (*Service)(nil)

// CreatePlaybook adds a playbook; one that names a built-in template and
// has no steps is filled from the template.
func (s *Service) CreatePlaybook(ctx context.Context, pb *kewei.Playbook) error {
	if pb.Template != "" && len(pb.Steps) == 0 {
		t := Template(pb.Template)
		if t == nil {
			var p kewei.Problems
			p.Add("template", kewei.ReasonUnknownChoice, "no built-in template %q", pb.Template)
			return p.Err()
		}
		if pb.Name != "" {
			t.Name = pb.Name
		}
		t.Enabled = pb.Enabled
		*pb = *t
	}
	return s.PlaybookStore.CreatePlaybook(ctx, pb)
}

func (s *Service) loc() *time.Location {
	if s.Location == nil {
		return time.Local
	}
	return s.Location
}

// RunTasks plans every enabled playbook's tasks due from the catch-up
// window up to tomorrow, for every customer, in batches.
func (s *Service) RunTasks(ctx context.Context, now time.Time) (*kewei.TaskRun, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators plan tasks")
	}
	start := time.Now()
	loc := s.loc()
	run := &kewei.TaskRun{Now: now}
	if s.Pool != nil {
		if run.Pooled, err = s.Pool.ReturnToPool(ctx, now); err != nil {
			return nil, err
		}
	}
	all, err := s.FindPlaybooks(ctx)
	if err != nil {
		return nil, err
	}
	var pbs []*kewei.Playbook
	for _, pb := range all {
		if pb.Enabled {
			pbs = append(pbs, pb)
		}
	}
	w, dueAt, err := s.window(ctx, now)
	if err != nil {
		return nil, err
	}
	catchUp := s.catchUp()
	if len(pbs) == 0 {
		if s.EscalateAfter > 0 {
			if run.Escalated, err = s.EscalateTasks(ctx, now.Add(-s.EscalateAfter)); err != nil {
				return nil, err
			}
		}
		run.Took = time.Since(start).Round(time.Millisecond).String()
		return run, nil
	}
	since := now.AddDate(0, 0, -catchUp-60)
	var planned int
	err = s.EachCustomerFacts(ctx, since, loc, 5000, func(batch []kewei.CustomerFacts) error {
		var ts []kewei.PlannedTask
		for i := range batch {
			run.Customers++
			for _, pb := range pbs {
				p, refused := Plan(pb, &batch[i], w)
				ts = append(ts, p...)
				run.NoConsent += refused
			}
		}
		planned += len(ts)
		if err := s.suggestions(ctx, ts); err != nil {
			return err
		}
		n, err := s.InsertTasks(ctx, ts, dueAt)
		run.Planned += n
		return err
	})
	run.Existing = planned - run.Planned
	if err == nil && s.EscalateAfter > 0 {
		run.Escalated, err = s.EscalateTasks(ctx, now.Add(-s.EscalateAfter))
	}
	run.Took = time.Since(start).Round(time.Millisecond).String()
	if err != nil {
		return run, fmt.Errorf("planning tasks: %w", err)
	}
	return run, nil
}

// HolidayDays lists every built-in holiday's date in the year.
func (s *Service) HolidayDays(ctx context.Context, year int) ([]kewei.HolidayDay, error) {
	set, err := s.FindHolidayDates(ctx, year)
	if err != nil {
		return nil, err
	}
	byKey := map[string]kewei.HolidayDay{}
	for _, h := range set {
		byKey[h.Key] = h
	}
	out := make([]kewei.HolidayDay, 0, len(Holidays))
	for _, k := range Holidays {
		h, ok := byKey[k]
		if !ok {
			h = kewei.HolidayDay{Year: year, Key: k, Date: HolidayDate(k, year)}
		}
		out = append(out, h)
	}
	return out, nil
}

func (s *Service) catchUp() int {
	if s.CatchUp <= 0 {
		return 14
	}
	return s.CatchUp
}

// window is the days a run at now plans, with the holidays, and the time
// of day a task on a day falls due.
func (s *Service) window(ctx context.Context, now time.Time) (Window, func(kewei.Date) time.Time, error) {
	loc := s.loc()
	today := kewei.Today(now, loc)
	w := Window{From: addDays(today, -s.catchUp()), To: addDays(today, 1)}
	set, err := s.FindHolidayDates(ctx, w.From.Year-1, w.From.Year, w.To.Year, w.To.Year+1)
	if err != nil {
		return w, nil, err
	}
	w.Holiday = Calendar(set)
	hour := s.DueHour
	if hour <= 0 {
		hour = 10
	}
	return w, func(d kewei.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, loc) }, nil
}

// PlanFor plans the enabled playbooks' tasks for some customers now, as
// the daily run would for them, and returns how many tasks are new.
func (s *Service) PlanFor(ctx context.Context, ids []int64, now time.Time) (int, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if !a.IsAdmin() {
		return 0, kewei.Errorf(kewei.EFORBIDDEN, "only administrators plan tasks")
	}
	all, err := s.FindPlaybooks(ctx)
	if err != nil {
		return 0, err
	}
	w, dueAt, err := s.window(ctx, now)
	if err != nil {
		return 0, err
	}
	facts, err := s.CustomerFacts(ctx, ids, now.AddDate(0, 0, -s.catchUp()-60), s.loc())
	if err != nil {
		return 0, err
	}
	var ts []kewei.PlannedTask
	for i := range facts {
		for _, pb := range all {
			if pb.Enabled {
				p, _ := Plan(pb, &facts[i], w)
				ts = append(ts, p...)
			}
		}
	}
	if err := s.suggestions(ctx, ts); err != nil {
		return 0, err
	}
	return s.InsertTasks(ctx, ts, dueAt)
}
