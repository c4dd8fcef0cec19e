package sla

import "time"

// Clock is one SLA clock: started at Start, aiming to finish within Target
// of working time, not counting the working time it has spent paused
// (waiting on the customer) — Paused so far, and since PausedSince while
// paused now.
type Clock struct {
	Start       time.Time
	Target      time.Duration
	Paused      time.Duration
	PausedSince time.Time
}

// Running reports whether the clock is counting.
func (k Clock) Running() bool { return k.PausedSince.IsZero() }

// Due is when the clock runs out; while paused, when it would if resumed
// at now.
func (c *Calendar) Due(k Clock, now time.Time) time.Time {
	paused := k.Paused
	if !k.Running() {
		paused += c.Between(k.PausedSince, now)
	}
	return c.Add(k.Start, k.Target+paused)
}

// Pause stops the clock at t; pausing a paused clock does nothing.
func (c *Calendar) Pause(k *Clock, t time.Time) {
	if k.Running() {
		k.PausedSince = t
	}
}

// Resume restarts the clock at t, adding the working time it was paused.
func (c *Calendar) Resume(k *Clock, t time.Time) {
	if !k.Running() {
		k.Paused += c.Between(k.PausedSince, t)
		k.PausedSince = time.Time{}
	}
}

// Breached reports whether the running clock has run out by now; a
// paused clock never has.
func (c *Calendar) Breached(k Clock, now time.Time) bool {
	return k.Running() && now.After(c.Due(k, now))
}

// Used is the working time the clock has counted by now.
func (c *Calendar) Used(k Clock, now time.Time) time.Duration {
	end := now
	if !k.Running() {
		end = k.PausedSince
	}
	return c.Between(k.Start, end) - k.Paused
}
