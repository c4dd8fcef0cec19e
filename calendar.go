package kewei

import "context"

// CalendarPrefix starts every calendar feed token.
const CalendarPrefix = "kwc_"

// Agenda is what a user's calendar feed shows: open tasks and visits to
// make or report.
type Agenda struct {
	Tasks  []*Task
	Visits []*Visit
}

// CalendarService gives each user a private iCalendar feed of their tasks
// and visits.
type CalendarService interface {
	// CreateCalendarFeed makes the signed-in user a new feed token, ending
	// the old one; the token is shown once.
	CreateCalendarFeed(ctx context.Context) (string, error)
	// CalendarFeed returns the open tasks and the unreported visits of the
	// token's user, as that user sees them, and the user; ENOTFOUND for an
	// unknown token.
	CalendarFeed(ctx context.Context, token string) (*Agenda, *User, error)
}
