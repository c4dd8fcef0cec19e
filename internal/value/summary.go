package value

import (
	"sort"
	"time"
)

// Purchase is one transaction as the lifetime models see it.
type Purchase struct {
	CustomerID int64
	At         time.Time
	Amount     float64
}

// Summary is a customer's purchase history up to the calibration end, in
// weeks: X repeat purchases (days with a purchase after the first one; two
// purchases on one day are one), Tx weeks from the first to the last
// purchase day, T weeks from the first purchase day to the calibration
// end, and Mean, the average spend of the repeat purchase days.
type Summary struct {
	CustomerID int64   `json:"customer_id"`
	X          int     `json:"frequency"`
	Tx         float64 `json:"recency_weeks"`
	T          float64 `json:"age_weeks"`
	Mean       float64 `json:"mean_repeat_spend"`
	Total      float64 `json:"historical_value"`
}

// civilDay numbers t's calendar date in its own location, so that a day is
// the business's day and not UTC's.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Summarize turns purchases into one summary per customer who bought on or
// before calEnd (a date: purchases on that day count). Purchases after it
// are left for the holdout. The result is ordered by customer id.
func Summarize(ps []Purchase, calEnd time.Time) []Summary {
	end := civilDay(calEnd)
	type day struct {
		customer, day int64
	}
	spend := make(map[day]float64)
	for _, p := range ps {
		d := civilDay(p.At)
		if d > end {
			continue
		}
		spend[day{p.CustomerID, d}] += p.Amount
	}
	days := make([]day, 0, len(spend))
	for k := range spend {
		days = append(days, k)
	}
	sort.Slice(days, func(i, j int) bool {
		if days[i].customer != days[j].customer {
			return days[i].customer < days[j].customer
		}
		return days[i].day < days[j].day
	})
	var out []Summary
	for i := 0; i < len(days); {
		j := i
		s := Summary{CustomerID: days[i].customer}
		repeat := 0.0
		for ; j < len(days) && days[j].customer == days[i].customer; j++ {
			amt := spend[days[j]]
			s.Total += amt
			if j > i {
				repeat += amt
			}
		}
		s.X = j - i - 1
		s.Tx = float64(days[j-1].day-days[i].day) / 7
		s.T = float64(end-days[i].day) / 7
		if s.X > 0 {
			s.Mean = repeat / float64(s.X)
		}
		out = append(out, s)
		i = j
	}
	return out
}
