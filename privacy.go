package kewei

import (
	"context"
	"time"
)

// Channel is a way of reaching a customer that needs their consent.
type Channel string

// Channels of contact. Marketing covers offers and campaigns on any channel.
const (
	ChannelPhone     Channel = "phone"
	ChannelSMS       Channel = "sms"
	ChannelEmail     Channel = "email"
	ChannelWeChat    Channel = "wechat"
	ChannelMarketing Channel = "marketing"
)

// Channels lists every channel.
var Channels = []Channel{ChannelPhone, ChannelSMS, ChannelEmail, ChannelWeChat, ChannelMarketing}

// Enum lists the allowed values.
func (Channel) Enum() []string { return enumStrings(Channels) }

// ChannelOf returns the channel an interaction uses, or "" for one that
// needs no consent (a visit, an event, a letter).
func ChannelOf(k InteractionKind) Channel {
	switch k {
	case InteractionCall:
		return ChannelPhone
	case InteractionSMS:
		return ChannelSMS
	case InteractionEmail:
		return ChannelEmail
	case InteractionWeChat:
		return ChannelWeChat
	}
	return ""
}

// Consent is one entry of a customer's consent ledger: granted or withdrawn,
// on a channel, when, and on what evidence.
type Consent struct {
	ID         int64     `json:"id" kewei:"readonly"`
	CustomerID int64     `json:"customer_id" kewei:"readonly"`
	Channel    Channel   `json:"channel"`
	Granted    bool      `json:"granted"`
	Source     string    `json:"source" doc:"Where the answer came from: signed form, phone call, website, …"`
	Note       string    `json:"note"`
	At         time.Time `json:"at" kewei:"readonly"`
	ActorID    int64     `json:"actor_id" kewei:"readonly"`
}

// Validate names every bad field.
func (c *Consent) Validate() error {
	var p Problems
	checkEnum(&p, "channel", c.Channel, Channels, true)
	p.checkText("source", &c.Source, true, 100)
	p.checkText("note", &c.Note, false, 500)
	return p.Err()
}

// PersonExport is everything Kewei holds about one customer, for a data
// subject's request.
type PersonExport struct {
	ExportedAt   time.Time      `json:"exported_at"`
	Customer     *Customer      `json:"customer"`
	Contacts     []*Contact     `json:"contacts"`
	Holdings     []*Holding     `json:"holdings"`
	Transactions []*Transaction `json:"transactions"`
	Interactions []*Interaction `json:"interactions"`
	Consents     []*Consent     `json:"consents"`
}

// PrivacyService keeps consent and carries out the rights of the people in
// the archive.
type PrivacyService interface {
	// FindConsents returns a customer's consent ledger, newest first.
	FindConsents(ctx context.Context, customerID int64) ([]*Consent, error)
	// RecordConsent appends an answer to the ledger.
	RecordConsent(ctx context.Context, customerID int64, c *Consent) error
	// MayContact reports whether the customer may be contacted on the
	// channel: not when their latest answer on it is a refusal.
	MayContact(ctx context.Context, customerID int64, ch Channel) (bool, error)
	// ExportPerson returns everything held about the customer, unmasked
	// (the right to see it is checked and the export audited).
	ExportPerson(ctx context.Context, customerID int64) (*PersonExport, error)
	// ErasePerson anonymises the customer in place: the history stays, the
	// identity goes, and a tombstone keeps it from coming back.
	ErasePerson(ctx context.Context, customerID int64, reason string) error
	// ApplyRetention erases lost customers untouched for the given years
	// and returns how many.
	ApplyRetention(ctx context.Context, years int) (int, error)
}
