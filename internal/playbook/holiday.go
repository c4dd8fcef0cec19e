// Package playbook turns maintenance playbooks into follow-up tasks: which
// customer gets which call, from whom, on which day. It is pure logic; the
// store feeds it customers and writes the tasks it plans.
package playbook

import (
	"sync"
	"time"

	"github.com/golang-module/carbon/v2/calendar/lunar"

	"github.com/kewei-crm/kewei"
)

// shanghai is where lunar dates are reckoned: the library's conversion at
// midnight UTC lands a day early, so dates are read at noon in China.
var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// lunarDate is the Gregorian date of a day of the Chinese calendar.
func lunarDate(year, month, day int) kewei.Date {
	g := lunar.FromLunar(year, month, day, 12, 0, 0, false).ToGregorian()
	if g.Error != nil || g.Time.IsZero() {
		return kewei.Date{}
	}
	return kewei.DateOf(g.Time.In(shanghai))
}

// Holiday keys: fixed-date ones and lunar ones.
const (
	NewYear        = "new_year"
	SpringFestival = "spring_festival"
	Lantern        = "lantern"
	Qingming       = "qingming"
	LabourDay      = "labour_day"
	DragonBoat     = "dragon_boat"
	Qixi           = "qixi"
	MidAutumn      = "mid_autumn"
	NationalDay    = "national_day"
	DoubleNinth    = "double_ninth"
)

// Holidays lists every built-in holiday.
var Holidays = []string{NewYear, SpringFestival, Lantern, Qingming, LabourDay, DragonBoat, Qixi, MidAutumn, NationalDay, DoubleNinth}

// holidays remembers computed dates: the lunar conversion is slow, and a
// planning run asks for the same few dates once per customer.
var holidays sync.Map // holidayKey → kewei.Date

type holidayKey struct {
	key  string
	year int
}

// HolidayDate is the holiday's date in a year, or the zero date for an
// unknown key. Lunar holidays come from the Chinese calendar; Qingming from
// the solar term (April 4 or 5, by the sun's longitude); an administrator's
// table of official dates can override any of them.
func HolidayDate(key string, year int) kewei.Date {
	k := holidayKey{key, year}
	if d, ok := holidays.Load(k); ok {
		return d.(kewei.Date)
	}
	d := holidayDate(key, year)
	holidays.Store(k, d)
	return d
}

func holidayDate(key string, year int) kewei.Date {
	switch key {
	case NewYear:
		return kewei.Date{Year: year, Month: time.January, Day: 1}
	case SpringFestival:
		return lunarDate(year, 1, 1)
	case Lantern:
		return lunarDate(year, 1, 15)
	case Qingming:
		return qingming(year)
	case LabourDay:
		return kewei.Date{Year: year, Month: time.May, Day: 1}
	case DragonBoat:
		return lunarDate(year, 5, 5)
	case Qixi:
		return lunarDate(year, 7, 7)
	case MidAutumn:
		return lunarDate(year, 8, 15)
	case NationalDay:
		return kewei.Date{Year: year, Month: time.October, Day: 1}
	case DoubleNinth:
		return lunarDate(year, 9, 9)
	}
	return kewei.Date{}
}

// qingming is the day of the Qingming solar term: April 4 or 5 (rarely
// 6), by the common formula for the 21st century.
func qingming(year int) kewei.Date {
	y := year % 100
	day := int(float64(y)*0.2422+4.81) - y/4
	if year < 2000 {
		day = int(float64(y)*0.2422+5.59) - y/4
	}
	return kewei.Date{Year: year, Month: time.April, Day: day}
}

// Calendar returns a holiday calendar: the administrator's dates where set,
// Kewei's otherwise.
func Calendar(set []kewei.HolidayDay) func(key string, year int) kewei.Date {
	m := map[holidayKey]kewei.Date{}
	for _, h := range set {
		m[holidayKey{h.Key, h.Year}] = h.Date
	}
	return func(key string, year int) kewei.Date {
		if d, ok := m[holidayKey{key, year}]; ok {
			return d
		}
		return HolidayDate(key, year)
	}
}
