// Package sla measures time in business hours: a working-time calendar of
// weekdays, working hours and holidays, and the response and resolution
// clocks of complaints, which pause while waiting on the customer.
package sla

import (
	"time"

	"github.com/kewei-crm/kewei"
)

// Calendar is when people work: from Start to End hours on the weekdays in
// Days, except on Holidays, in Location.
type Calendar struct {
	Location   *time.Location
	Start, End int                 // hours of the day, e.g. 9 and 18
	Days       [7]bool             // by time.Weekday; Monday to Friday when all false
	Holidays   map[kewei.Date]bool // days off
	Workdays   map[kewei.Date]bool // weekend days worked instead (调休)
}

func (c *Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.Local
	}
	return c.Location
}

func (c *Calendar) hours() (int, int) {
	if c.Start == 0 && c.End == 0 {
		return 9, 18
	}
	return c.Start, c.End
}

// Working reports whether the day is a working day.
func (c *Calendar) Working(d kewei.Date) bool {
	if c.Workdays[d] {
		return true
	}
	if c.Holidays[d] {
		return false
	}
	wd := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	days := c.Days
	if days == [7]bool{} {
		return wd != time.Saturday && wd != time.Sunday
	}
	return days[wd]
}

// window is the working time of the day holding t: [open, close), or
// zero times on a day off.
func (c *Calendar) window(t time.Time) (time.Time, time.Time) {
	l := t.In(c.loc())
	if !c.Working(kewei.DateOf(l)) {
		return time.Time{}, time.Time{}
	}
	s, e := c.hours()
	y, m, d := l.Date()
	return time.Date(y, m, d, s, 0, 0, 0, c.loc()), time.Date(y, m, d, e, 0, 0, 0, c.loc())
}

// nextDay is the start of the day after t's, in the calendar's zone.
func (c *Calendar) nextDay(t time.Time) time.Time {
	l := t.In(c.loc())
	y, m, d := l.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc())
}

// Add returns the instant that lies d of working time after t. Work that
// starts outside working hours starts at the next opening.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	for range 3660 { // ten years of days: a calendar with no working day ends here
		open, close := c.window(t)
		if open.IsZero() || !t.Before(close) {
			t = c.nextDay(t)
			continue
		}
		if t.Before(open) {
			t = open
		}
		if left := close.Sub(t); d <= left {
			return t.Add(d)
		} else {
			d -= left
		}
		t = c.nextDay(t)
	}
	return t
}

// Between is the working time from a to b (0 when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var sum time.Duration
	for t := a; t.Before(b); t = c.nextDay(t) {
		open, close := c.window(t)
		if open.IsZero() {
			continue
		}
		from, to := maxTime(t, open), minTime(b, close)
		if to.After(from) {
			sum += to.Sub(from)
		}
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
