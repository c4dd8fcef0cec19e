package tiering

import (
	"context"
	"fmt"
	"time"

	"github.com/kewei-crm/kewei"
)

// ParseClock reads a time of day such as 02:00; "off" gives ok false.
func ParseClock(s string) (hour, minute int, err error) {
	if s == "off" {
		return -1, -1, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a time of day such as 02:00, nor off", s)
	}
	return t.Hour(), t.Minute(), nil
}

// NextAt is the first hour:minute in loc after now.
func NextAt(now time.Time, hour, minute int, loc *time.Location) time.Time {
	n := now.In(loc)
	t := time.Date(n.Year(), n.Month(), n.Day(), hour, minute, 0, 0, loc)
	if !t.After(n) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// Nightly re-tiers every customer at the clock time each day until ctx
// ends; "off" turns it off. A run that fails is logged and tried again the
// next night.
func (s *Service) Nightly(ctx context.Context, clock string) {
	hour, minute, err := ParseClock(clock)
	if err != nil || hour < 0 {
		return
	}
	loc := s.Location
	if loc == nil {
		loc = time.Local
	}
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	for {
		wait := time.Until(NextAt(time.Now(), hour, minute, loc))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		run, err := s.StartRetier(sys, kewei.RetierRequest{})
		if s.Logger == nil {
			continue
		}
		if err != nil {
			s.Logger.Error("nightly re-tiering did not start", "err", err)
		} else {
			s.Logger.Info("nightly re-tiering started", "run", run.ID)
		}
	}
}
