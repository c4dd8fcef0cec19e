package kewei

import (
	"context"
	"time"
)

// EventKinds are the kinds of customer event.
var EventKinds = []string{"test_drive", "self_drive_tour", "lecture", "thank_you_party", "other"}

// Event is a gathering customers are invited to: a test-drive day, a
// self-drive tour, a lecture, the yearly thank-you party.
type Event struct {
	ID         int64     `json:"id" kewei:"readonly"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind" doc:"test_drive, self_drive_tour, lecture, thank_you_party or other."`
	StartsAt   time.Time `json:"starts_at"`
	Place      string    `json:"place"`
	Capacity   int       `json:"capacity" doc:"Seats; zero for no limit."`
	CampaignID int64     `json:"campaign_id" doc:"The campaign the event belongs to; its leads become the campaign's."`
	Note       string    `json:"note"`
	CreatedAt  time.Time `json:"created_at" kewei:"readonly"`
	Version    int       `json:"version" kewei:"readonly"`
	// Counted over the customers the caller sees.
	Invited  int `json:"invited" kewei:"readonly"`
	Accepted int `json:"accepted" kewei:"readonly"`
	Declined int `json:"declined" kewei:"readonly"`
	Attended int `json:"attended" kewei:"readonly"`
	Guests   int `json:"guests" kewei:"readonly" doc:"Guests the attendees brought."`
	Leads    int `json:"leads" kewei:"readonly" doc:"New customers met at the event."`
	// Conversion: attendees and leads who bought after the event began.
	AttendeesBought int     `json:"attendees_bought" kewei:"readonly"`
	LeadsBought     int     `json:"leads_bought" kewei:"readonly"`
	Conversion      float64 `json:"conversion" kewei:"readonly" doc:"(attendees_bought + leads_bought) / (attended + leads)."`
}

// Validate names every bad field.
func (e *Event) Validate() error {
	var p Problems
	p.checkText("name", &e.Name, true, 200)
	p.checkText("place", &e.Place, false, 200)
	p.checkText("note", &e.Note, false, 2000)
	if !contains(EventKinds, e.Kind) {
		p.Add("kind", ReasonUnknownChoice, "must be one of %v", EventKinds)
	}
	if e.StartsAt.IsZero() {
		p.Add("starts_at", ReasonRequired, "say when")
	}
	if e.Capacity < 0 {
		p.Add("capacity", ReasonOutOfRange, "cannot be negative")
	}
	return p.Err()
}

// Replies to an invitation.
const (
	ReplyPending = "pending"
	ReplyYes     = "yes"
	ReplyNo      = "no"
)

// Replies lists every reply.
var Replies = []string{ReplyPending, ReplyYes, ReplyNo}

// Invitation is one customer invited to an event.
type Invitation struct {
	ID           int64     `json:"id" kewei:"readonly"`
	EventID      int64     `json:"event_id" kewei:"readonly"`
	CustomerID   int64     `json:"customer_id" kewei:"readonly"`
	CustomerName string    `json:"customer_name" kewei:"readonly"`
	Channel      Channel   `json:"channel" kewei:"readonly"`
	InvitedAt    time.Time `json:"invited_at" kewei:"readonly"`
	Reply        string    `json:"reply" doc:"pending, yes or no."`
	RepliedAt    time.Time `json:"replied_at" kewei:"readonly"`
	Attended     bool      `json:"attended"`
	Guests       int       `json:"guests" doc:"People the customer brought."`
	Version      int       `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (i *Invitation) Validate() error {
	var p Problems
	if !contains(Replies, i.Reply) {
		p.Add("reply", ReasonUnknownChoice, "pending, yes or no")
	}
	if i.Guests < 0 || i.Guests > 50 {
		p.Add("guests", ReasonOutOfRange, "from 0 to 50")
	}
	return p.Err()
}

// InviteRequest picks who to invite: the customers in scope matching the
// audience, or the customers named. Those whose latest answer refuses the
// channel, or marketing, are left out.
type InviteRequest struct {
	Audience    Audience `json:"audience"`
	CustomerIDs []int64  `json:"customer_ids,omitempty" doc:"Invite these instead of an audience."`
	Channel     Channel  `json:"channel"`
}

// MaxInvitations bounds one invitation round.
const MaxInvitations = 10000

// InviteResult says what an invitation round did.
type InviteResult struct {
	Invited        int `json:"invited"`
	AlreadyInvited int `json:"already_invited"`
	NoConsent      int `json:"no_consent" doc:"Left out: they refused the channel or marketing."`
}

// EventService keeps events, their invitations and leads.
type EventService interface {
	CreateEvent(ctx context.Context, e *Event) error
	UpdateEvent(ctx context.Context, id int64, p Patch) (*Event, error)
	FindEvent(ctx context.Context, id int64) (*Event, error)
	// FindEvents lists events, latest first, with their counts.
	FindEvents(ctx context.Context) ([]*Event, error)
	Invite(ctx context.Context, eventID int64, r InviteRequest) (*InviteResult, error)
	// FindInvitations lists an event's invitations of customers in scope.
	FindInvitations(ctx context.Context, eventID int64) ([]*Invitation, error)
	// UpdateInvitation records a reply, attendance or guests.
	UpdateInvitation(ctx context.Context, id int64, p Patch) (*Invitation, error)
	// AddLead records a new customer met at the event, owned by the
	// caller, with the event as their source.
	AddLead(ctx context.Context, eventID int64, c *Customer) error
}
