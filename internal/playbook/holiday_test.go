package playbook

import "testing"

func TestHolidayDates(t *testing.T) {
	for _, c := range []struct {
		key  string
		year int
		want string
	}{
		{SpringFestival, 2027, "2027-02-06"},
		{MidAutumn, 2027, "2027-09-15"},
		{DragonBoat, 2027, "2027-06-09"},
		{SpringFestival, 2026, "2026-02-17"},
		{MidAutumn, 2026, "2026-09-25"},
		{Qingming, 2026, "2026-04-05"},
		{Qingming, 2027, "2027-04-05"},
		{Qingming, 2024, "2024-04-04"},
		{NationalDay, 2027, "2027-10-01"},
	} {
		if got := HolidayDate(c.key, c.year).String(); got != c.want {
			t.Errorf("%s %d = %s, want %s", c.key, c.year, got, c.want)
		}
	}
}
