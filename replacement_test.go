package kewei_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has

	"github.com/kewei-crm/kewei"
)

func day(s string) kewei.Date {
	d, err := kewei.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAddMonthsKeepsTheDayOrTheMonthsLast(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2020-08-31", 72, "2026-08-31"},
		{"2020-02-29", 12, "2021-02-28"}, // a deposit opened on a leap day
		{"2020-02-29", 48, "2024-02-29"},
		{"2021-01-31", 1, "2021-02-28"},
		{"2021-12-15", 1, "2022-01-15"},
		{"2021-03-31", -1, "2021-02-28"},
	} {
		if got := day(c.from).AddMonths(c.months).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}

func TestDueHoldings(t *testing.T) {
	life := func(p string) int {
		return map[string]int{"途观L": 72, "一年定期": 12}[p]
	}
	hs := []kewei.Holding{
		// Own date first: a deposit with its maturity.
		{ID: 1, Product: "一年定期", Category: "deposit", Status: kewei.HoldingActive, AcquiredOn: day("2026-03-01"), RenewalDue: day("2027-02-15")},
		// Life cycle: a car of a product kept six years, alone in its category.
		{ID: 2, Product: "途观L", Category: "car", Status: kewei.HoldingActive, AcquiredOn: day("2020-08-31")},
		// Rhythm: this customer changes phones every ~2 years (the 10-day
		// gap is a second phone, not a replacement); the ended one counts.
		{ID: 3, Product: "Phone 12", Category: "phone", Status: kewei.HoldingEnded, AcquiredOn: day("2020-01-10")},
		{ID: 4, Product: "Phone 14", Category: "phone", Status: kewei.HoldingEnded, AcquiredOn: day("2022-01-10")},
		{ID: 5, Product: "Phone 14 mini", Category: "phone", Status: kewei.HoldingActive, AcquiredOn: day("2022-01-20")},
		{ID: 6, Product: "Phone 16", Category: "phone", Status: kewei.HoldingActive, AcquiredOn: day("2024-01-20")},
		// Nothing to go by: not due.
		{ID: 7, Product: "延保", Category: "warranty", Status: kewei.HoldingActive, AcquiredOn: day("2024-05-01")},
		// Ended: not due, though its product has a life cycle.
		{ID: 8, Product: "途观L", Category: "", Status: kewei.HoldingEnded, AcquiredOn: day("2014-05-01")},
		// No acquisition date and no own date: not due.
		{ID: 9, Product: "途观L", Category: "suv", Status: kewei.HoldingActive},
	}
	got := map[int64]kewei.HoldingDue{}
	for _, d := range kewei.DueHoldings(hs, life) {
		got[d.HoldingID] = d
	}
	want := map[int64]kewei.HoldingDue{
		1: {1, day("2027-02-15"), kewei.DueOwnDate},
		2: {2, day("2026-08-31"), kewei.DueLifeCycle},
		// Gaps 730 and 730 days (the 10-day one does not count).
		5: {5, day("2024-01-20"), kewei.DueRhythm},
		6: {6, day("2026-01-19"), kewei.DueRhythm},
	}
	if len(got) != len(want) {
		t.Errorf("due: %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("holding %d: %v, want %v", id, got[id], w)
		}
	}
}

// TestTodayFollowsTheBusinessZone: at 01:30 in Shanghai it is still the
// day before in UTC and in New York, so "due in 0 days" differs by zone.
func TestTodayFollowsTheBusinessZone(t *testing.T) {
	now := time.Date(2026, 11, 22, 17, 30, 0, 0, time.UTC)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	for loc, want := range map[*time.Location]string{sh: "2026-11-23", time.UTC: "2026-11-22", ny: "2026-11-22", nil: "2026-11-22"} {
		if got := kewei.Today(now, loc).String(); got != want {
			t.Errorf("today in %v: %s, want %s", loc, got, want)
		}
	}
	if d := day("2026-11-30").DaysSince(kewei.Today(now, sh)); d != 7 {
		t.Errorf("days from Shanghai's today to 30 Nov: %d", d)
	}
}
