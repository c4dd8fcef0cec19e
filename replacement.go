package kewei

import (
	"context"
	"slices"
	"time"
)

// Where a holding's replacement or renewal date comes from, best first.
const (
	// DueOwnDate is the holding's own renewal_due: a maturity, a renewal,
	// a contract's end.
	DueOwnDate = "own_date"
	// DueRhythm is the customer's own rhythm: the typical time between
	// their acquisitions in the holding's category, from its acquisition.
	DueRhythm = "rhythm"
	// DueLifeCycle is the product's life cycle in the catalogue, from the
	// holding's acquisition.
	DueLifeCycle = "life_cycle"
)

// DueSources lists the sources of due dates, best first.
var DueSources = []string{DueOwnDate, DueRhythm, DueLifeCycle}

// minRhythmDays is the shortest gap between two acquisitions that counts
// as a replacement: buying two cars in one month is a second car, not a
// rhythm.
const minRhythmDays = 30

// HoldingDue is when one holding is due for replacement or renewal.
type HoldingDue struct {
	HoldingID int64
	Due       Date
	Source    string
}

// DueHoldings computes, for the holdings of one customer, when each active
// holding is due: its own renewal date when set; else the customer's own
// rhythm in its category (the median gap of at least 30 days between their
// acquisitions, counting ended holdings too); else the life cycle of its
// product (lifeMonths gives it, 0 when unknown). Holdings without any of
// them are not due.
func DueHoldings(hs []Holding, lifeMonths func(product string) int) []HoldingDue {
	rhythm := map[string]int{}
	byGroup := map[string][]Date{}
	for _, h := range hs {
		if !h.AcquiredOn.IsZero() {
			g := dueGroup(h)
			byGroup[g] = append(byGroup[g], h.AcquiredOn)
		}
	}
	for g, ds := range byGroup {
		if days := medianGap(ds); days > 0 {
			rhythm[g] = days
		}
	}
	var out []HoldingDue
	for _, h := range hs {
		if h.Status != HoldingActive && h.Status != "" {
			continue
		}
		d := HoldingDue{HoldingID: h.ID}
		switch {
		case !h.RenewalDue.IsZero():
			d.Due, d.Source = h.RenewalDue, DueOwnDate
		case h.AcquiredOn.IsZero():
		case rhythm[dueGroup(h)] > 0:
			d.Due, d.Source = h.AcquiredOn.AddDays(rhythm[dueGroup(h)]), DueRhythm
		default:
			if m := lifeMonths(h.Product); m > 0 {
				d.Due, d.Source = h.AcquiredOn.AddMonths(m), DueLifeCycle
			}
		}
		if d.Source != "" {
			out = append(out, d)
		}
	}
	return out
}

// dueGroup is what a holding is replaced within: its category, or its
// product when it has none.
func dueGroup(h Holding) string {
	if h.Category != "" {
		return "c:" + h.Category
	}
	return "p:" + h.Product
}

// medianGap returns the median of the gaps of at least minRhythmDays
// between consecutive dates, in days; 0 when there is none.
func medianGap(ds []Date) int {
	if len(ds) < 2 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.SortFunc(ds, func(a, b Date) int { return a.Time(time.UTC).Compare(b.Time(time.UTC)) })
	var gaps []int
	for i := 1; i < len(ds); i++ {
		if g := ds[i].DaysSince(ds[i-1]); g >= minRhythmDays {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	n := len(gaps)
	if n%2 == 1 {
		return gaps[n/2]
	}
	return (gaps[n/2-1] + gaps[n/2]) / 2
}

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time(time.UTC).AddDate(0, 0, n))
}

// AddMonths returns the same day n months later, or the month's last day
// when it is shorter: a car delivered on 31 August and kept six years is
// due on 31 August; a deposit opened on 29 February for a year matures on
// 28 February.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date{first.Year(), first.Month(), min(d.Day, last)}
}

// DaysSince returns the days from e to d (negative when d is earlier).
func (d Date) DaysSince(e Date) int {
	return int(d.Time(time.UTC).Sub(e.Time(time.UTC)).Hours() / 24)
}

// Today is the calendar date at instant now in loc: near midnight the
// business's day differs from the server's.
func Today(now time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(now.In(loc))
}

// DueItem is a holding due for replacement or renewal, with its customer.
type DueItem struct {
	HoldingID    int64     `json:"holding_id"`
	CustomerID   int64     `json:"customer_id"`
	CustomerName string    `json:"customer_name"`
	OwnerID      int64     `json:"owner_id"`
	OwnerName    string    `json:"owner_name"`
	Tier         Tier      `json:"tier"`
	Product      string    `json:"product"`
	Category     string    `json:"category"`
	AcquiredOn   Date      `json:"acquired_on"`
	Due          Date      `json:"due"`
	Source       string    `json:"source" doc:"own_date (maturity, renewal, contract end), rhythm (the customer's own) or life_cycle (the product's)."`
	InDays       int       `json:"in_days" doc:"Days from today to the due date, in the business's time zone."`
	Value        Money     `json:"value"`
	UpdatedAt    time.Time `json:"-"`
}

// DueFilter selects the holdings due in a window of days.
type DueFilter struct {
	Within   int    // days from today; 30 when 0
	Today    Date   // the business's today; today in UTC when zero
	Overdue  bool   // from the earliest overdue instead of today
	Category string // only holdings of this category
	OwnerID  int64
	Tier     Tier
	Cursor   string
	Limit    int
}

// DueService finds the holdings due for replacement or renewal.
type DueService interface {
	// FindDue lists, soonest first, the holdings of customers in scope
	// due within the window.
	FindDue(ctx context.Context, f DueFilter) (*List[*DueItem], error)
	// RefreshDue recomputes every holding's due date (after a catalogue
	// change, an import, and nightly), and says how many changed.
	RefreshDue(ctx context.Context) (int, error)
}
