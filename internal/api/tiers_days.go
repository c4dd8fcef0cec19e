package api

import (
	"time"

	"github.com/kewei-crm/kewei"
)

// migrationDays reads the two days of a migration matrix; the later one is
// today when left out, the earlier one is required.
func migrationDays(from, to string, loc *time.Location) (kewei.Date, kewei.Date, error) {
	var p kewei.Problems
	f, err := kewei.ParseDate(from)
	if err != nil {
		p.Add("from", kewei.ReasonInvalidFormat, "%v", err)
	} else if f.IsZero() {
		p.Add("from", kewei.ReasonRequired, "give the earlier day as YYYY-MM-DD")
	}
	t, err := kewei.ParseDate(to)
	if err != nil {
		p.Add("to", kewei.ReasonInvalidFormat, "%v", err)
	}
	if t.IsZero() {
		if loc == nil {
			loc = time.Local
		}
		t = kewei.DateOf(time.Now().In(loc))
	}
	return f, t, p.Err()
}

// parseNow reads an RFC 3339 time; "" is now.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		var p kewei.Problems
		p.Add("now", kewei.ReasonInvalidFormat, "%q is not an RFC 3339 time such as 2026-11-23T06:00:00+08:00", s)
		return time.Time{}, p.Err()
	}
	return t, nil
}
