package sla

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBusinessTimeAcrossNightsWeekendsAndHolidays(t *testing.T) {
	c := &Calendar{Location: shanghai, Start: 9, End: 18,
		Holidays: map[kewei.Date]bool{{Year: 2026, Month: 10, Day: 1}: true, {Year: 2026, Month: 10, Day: 2}: true},
		Workdays: map[kewei.Date]bool{{Year: 2026, Month: 10, Day: 10}: true}} // a Saturday worked
	for _, tc := range []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2026-11-23 10:00", 4 * time.Hour, "2026-11-23 14:00"}, // Monday, same day
		{"2026-11-23 16:00", 4 * time.Hour, "2026-11-24 11:00"}, // over the night
		{"2026-11-27 17:00", 2 * time.Hour, "2026-11-30 10:00"}, // Friday → Monday
		{"2026-11-28 11:00", time.Hour, "2026-11-30 10:00"},     // received on Saturday
		{"2026-11-23 07:30", time.Hour, "2026-11-23 10:00"},     // before opening
		{"2026-11-23 20:00", 9 * time.Hour, "2026-11-24 18:00"}, // a whole working day
		{"2026-09-30 17:00", 2 * time.Hour, "2026-10-05 10:00"}, // Oct 1–2 holidays, then the weekend
		{"2026-10-09 17:00", 2 * time.Hour, "2026-10-10 10:00"}, // the worked Saturday
		{"2026-11-23 18:00", 0, "2026-11-23 18:00"},
	} {
		if got := c.Add(at(tc.from), tc.d); !got.Equal(at(tc.want)) {
			t.Errorf("%s + %v = %s, want %s", tc.from, tc.d, got.In(shanghai).Format("2006-01-02 15:04"), tc.want)
		}
	}
	if got := c.Between(at("2026-11-27 17:00"), at("2026-11-30 10:00")); got != 2*time.Hour {
		t.Errorf("Friday 17:00 to Monday 10:00 is %v of work, want 2h", got)
	}
	if got := c.Between(at("2026-09-30 09:00"), at("2026-10-05 09:00")); got != 9*time.Hour {
		t.Errorf("across the holidays: %v, want one day of 9h", got)
	}
}

func TestClockPausesWhileWaitingOnTheCustomer(t *testing.T) {
	c := &Calendar{Location: shanghai}
	k := Clock{Start: at("2026-11-23 10:00"), Target: 8 * time.Hour}
	if due := c.Due(k, at("2026-11-23 10:00")); !due.Equal(at("2026-11-23 18:00")) {
		t.Fatalf("due %v, want Monday 18:00", due)
	}
	// Waiting on the customer from Monday 15:00 to Tuesday 11:00: 5 working
	// hours that do not count.
	c.Pause(&k, at("2026-11-23 15:00"))
	if c.Breached(k, at("2026-11-24 10:00")) {
		t.Error("a paused clock breached")
	}
	c.Resume(&k, at("2026-11-24 11:00"))
	if k.Paused != 5*time.Hour {
		t.Errorf("paused %v, want 5h", k.Paused)
	}
	if due := c.Due(k, at("2026-11-24 11:00")); !due.Equal(at("2026-11-24 14:00")) {
		t.Errorf("due after the pause %v, want Tuesday 14:00", due.In(shanghai))
	}
	if c.Breached(k, at("2026-11-24 13:59")) || !c.Breached(k, at("2026-11-24 14:01")) {
		t.Error("the breach is not at 14:00")
	}
	if used := c.Used(k, at("2026-11-24 12:00")); used != 6*time.Hour {
		t.Errorf("used %v, want 6h", used)
	}
}
