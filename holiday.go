package kewei

import "context"

// HolidayDay is a holiday's date in a year: the one Kewei computes, or the
// one an administrator set.
type HolidayDay struct {
	Year int    `json:"year"`
	Key  string `json:"key" doc:"spring_festival, mid_autumn, national_day …"`
	Date Date   `json:"date"`
	Set  bool   `json:"set" doc:"An administrator set this date."`
}

// HolidayStore keeps the administrator's holiday dates.
type HolidayStore interface {
	// FindHolidayDates returns the dates set for the years.
	FindHolidayDates(ctx context.Context, years ...int) ([]HolidayDay, error)
	// SetHolidayDate sets a holiday's date for a year, or with a zero date
	// returns it to the computed one (administrators; audited).
	SetHolidayDate(ctx context.Context, year int, key string, d Date) error
}
