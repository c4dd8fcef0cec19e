package jobs

import (
	"testing"
	"time"
)

func TestClockAndDailySchedule(t *testing.T) {
	h, m, err := ParseClock("02:30")
	if err != nil || h != 2 || m != 30 {
		t.Fatal(h, m, err)
	}
	if _, _, err := ParseClock("25:00"); err == nil {
		t.Error("25:00 accepted")
	}
	if h, _, err := ParseClock("off"); err != nil || h >= 0 {
		t.Error("off is not off")
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d := daily{2, 0, loc}
	now := time.Date(2026, 11, 23, 1, 30, 0, 0, loc)
	if got := d.Next(now); !got.Equal(time.Date(2026, 11, 23, 2, 0, 0, 0, loc)) {
		t.Errorf("next %v, want tonight at 02:00", got)
	}
	if got := d.Next(now.Add(time.Hour)); got.Day() != 24 {
		t.Errorf("after 02:00 the next is %v, want tomorrow", got)
	}
}
