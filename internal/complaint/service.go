// Package complaint adds the SLA to the complaint store: response and
// resolution clocks in business hours per severity, paused while waiting
// on the customer, and escalation when they run out.
package complaint

import (
	"context"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/sla"
)

// Target is a severity's SLA: the first response and the resolution, in
// working time.
type Target struct {
	Response, Resolution time.Duration
}

// DefaultTargets are the SLA of each severity, in working hours.
var DefaultTargets = map[kewei.Severity]Target{
	kewei.SeverityCritical: {1 * time.Hour, 9 * time.Hour},
	kewei.SeverityHigh:     {2 * time.Hour, 18 * time.Hour},
	kewei.SeverityMedium:   {4 * time.Hour, 27 * time.Hour},
	kewei.SeverityLow:      {9 * time.Hour, 45 * time.Hour},
}

// Service is complaints with their SLA.
type Service struct {
	kewei.ComplaintStore
	// Calendar is the working time; weekdays 9:00–18:00 in Location with
	// the public holidays off when nil.
	Calendar *sla.Calendar
	Location *time.Location
	Targets  map[kewei.Severity]Target
	// Now is the clock; tests fix it.
	Now func() time.Time
	// Surveys, Users and Teams feed the satisfaction half of the report;
	// it is left out without Surveys.
	Surveys kewei.SurveyService
	Users   kewei.UserService
	Teams   kewei.TeamService
	// Holidays, when set, gives the official dates administrators set,
	// over the computed ones.
	Holidays kewei.HolidayStore

	mu      sync.Mutex
	built   *sla.Calendar
	builtAt time.Time
}

var _ kewei.ComplaintService = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// calendar is the working-time calendar: the one set, or weekdays with
// the public holidays off (three days at Spring Festival and National Day),
// on the official dates where an administrator set them.
func (s *Service) calendar() *sla.Calendar {
	if s.Calendar != nil {
		return s.Calendar
	}
	// Built afresh every few minutes, so a date an administrator sets
	// counts soon, without a query per complaint.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.built == nil || time.Since(s.builtAt) > 5*time.Minute {
		s.built, s.builtAt = s.buildCalendar(context.Background()), time.Now()
	}
	return s.built
}

// WorkingTime is the working time between a and b by the service's calendar.
func (s *Service) WorkingTime(a, b time.Time) time.Duration { return s.calendar().Between(a, b) }

func (s *Service) buildCalendar(ctx context.Context) *sla.Calendar {
	c := &sla.Calendar{Location: s.Location, Start: 9, End: 18, Holidays: map[kewei.Date]bool{}}
	y := s.now().Year()
	date := playbook.HolidayDate
	if s.Holidays != nil {
		sys := kewei.WithActor(ctx, kewei.SystemActor)
		if set, err := s.Holidays.FindHolidayDates(sys, y-1, y, y+1); err == nil {
			date = playbook.Calendar(set)
		}
	}
	for year := y - 1; year <= y+1; year++ {
		for _, k := range playbook.Holidays {
			d := date(k, year)
			span := 1
			if k == playbook.SpringFestival || k == playbook.NationalDay {
				span = 3
			}
			for i := range span {
				day := time.Date(d.Year, d.Month, d.Day+i, 12, 0, 0, 0, time.UTC)
				c.Holidays[kewei.DateOf(day)] = true
			}
		}
	}
	return c
}

func (s *Service) target(sev kewei.Severity) Target {
	if t, ok := s.Targets[sev]; ok {
		return t
	}
	return DefaultTargets[sev]
}

// withSLA fills the clocks of k from its history.
func (s *Service) withSLA(k *kewei.Complaint, events []*kewei.ComplaintEvent, now time.Time) {
	c := s.calendar()
	var paused time.Duration
	var since time.Time
	// Each wait ends at a resume, or at the resolution, which waits on
	// nobody; a wait still open is the clock's own pause.
	for _, e := range events {
		switch {
		case e.Action == kewei.ActWait:
			since = e.At
		case !since.IsZero() && (e.Action == kewei.ActResume || e.Action == kewei.ActResolve):
			paused += c.Between(since, e.At)
			since = time.Time{}
		}
	}
	t := s.target(k.Severity)
	clock := sla.Clock{Start: k.ReceivedAt, Paused: paused}
	if k.Waiting {
		clock.PausedSince = k.PausedSince
	}
	resp, res := clock, clock
	resp.Target, res.Target = t.Response, t.Resolution
	k.ResponseDue, k.ResolutionDue = c.Due(resp, now), c.Due(res, now)
	k.PausedFor = paused
	late := func(due, done time.Time, running bool) bool {
		if !done.IsZero() {
			return done.After(due)
		}
		return running && now.After(due)
	}
	k.ResponseLate = late(k.ResponseDue, k.AcknowledgedAt, resp.Running())
	k.ResolutionLate = late(k.ResolutionDue, k.ResolvedAt, res.Running())
}

// FindComplaint reads a complaint with its clocks and history.
func (s *Service) FindComplaint(ctx context.Context, id int64) (*kewei.Complaint, []*kewei.ComplaintEvent, error) {
	k, events, err := s.ComplaintStore.FindComplaint(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	s.withSLA(k, events, s.now())
	return k, events, nil
}

// FindComplaints lists complaints with their clocks.
func (s *Service) FindComplaints(ctx context.Context, f kewei.ComplaintFilter) ([]*kewei.Complaint, error) {
	list, err := s.ComplaintStore.FindComplaints(ctx, f)
	if err != nil {
		return nil, err
	}
	for i, k := range list {
		full, events, err := s.ComplaintStore.FindComplaint(ctx, k.ID)
		if err != nil {
			return nil, err
		}
		s.withSLA(full, events, s.now())
		list[i] = full
	}
	return list, nil
}

// ActOnComplaint applies a step and returns the complaint with its clocks.
func (s *Service) ActOnComplaint(ctx context.Context, id int64, st kewei.ComplaintStep) (*kewei.Complaint, error) {
	if _, err := s.ComplaintStore.ActOnComplaint(ctx, id, st); err != nil {
		return nil, err
	}
	k, _, err := s.FindComplaint(ctx, id)
	return k, err
}

// EscalateComplaints raises each open complaint to the number of its clocks
// that have run out: the response clock to the owner's manager, the
// resolution clock one level further.
func (s *Service) EscalateComplaints(ctx context.Context, now time.Time) (int, error) {
	open, err := s.ComplaintStore.OpenComplaints(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range open {
		full, events, err := s.ComplaintStore.FindComplaint(ctx, k.ID)
		if err != nil {
			return n, err
		}
		s.withSLA(full, events, now)
		level := 0
		if full.ResponseLate {
			level++
		}
		if full.ResolutionLate {
			level++
		}
		if level > full.EscalationLevel {
			if err := s.EscalateComplaint(ctx, full.ID, level); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
