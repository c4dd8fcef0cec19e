package kewei

import (
	"context"
	"time"
)

// Contact is a person at a company customer, with their part in decisions.
type Contact struct {
	ID         int64       `json:"id" kewei:"readonly"`
	CustomerID int64       `json:"customer_id" kewei:"readonly"`
	Name       string      `json:"name"`
	Title      string      `json:"title" doc:"Job title."`
	Role       ContactRole `json:"role" doc:"decision_maker, influencer, front_desk, user or other."`
	Phones     []Phone     `json:"phones"`
	Email      string      `json:"email"`
	WeChat     string      `json:"wechat"`
	Birthday   Date        `json:"birthday"`
	Note       string      `json:"note"`
	Masked     bool        `json:"masked" kewei:"readonly" doc:"Phones, email, WeChat id and birthday are hidden from you."`
	CreatedAt  time.Time   `json:"created_at" kewei:"readonly"`
	UpdatedAt  time.Time   `json:"updated_at" kewei:"readonly"`
	Version    int         `json:"version" kewei:"readonly"`
}

// Validate normalizes c and names every bad field.
func (c *Contact) Validate() error {
	var p Problems
	p.checkText("name", &c.Name, true, 100)
	p.checkText("title", &c.Title, false, 100)
	if c.Role == "" {
		c.Role = ContactOther
	}
	checkEnum(&p, "role", c.Role, ContactRoles, true)
	if c.Phones == nil {
		c.Phones = []Phone{}
	}
	p.checkPhones("phones", c.Phones)
	p.checkEmail("email", &c.Email)
	p.checkText("wechat", &c.WeChat, false, 64)
	p.checkDate("birthday", c.Birthday)
	p.checkText("note", &c.Note, false, 2000)
	return p.Err()
}

// Holding is something a customer bought and keeps (保有): a car, a deposit,
// a plan. Its dates drive reminders.
type Holding struct {
	ID              int64         `json:"id" kewei:"readonly"`
	CustomerID      int64         `json:"customer_id" kewei:"readonly"`
	Product         string        `json:"product"`
	Category        string        `json:"category" doc:"car, deposit, insurance, plan … as the business names them."`
	Serial          string        `json:"serial" doc:"VIN, account or contract number."`
	Value           Money         `json:"value" doc:"Price paid, or the balance of an account."`
	Status          HoldingStatus `json:"status"`
	AcquiredOn      Date          `json:"acquired_on" doc:"Purchase or delivery date."`
	FirstServiceDue Date          `json:"first_service_due"`
	RenewalDue      Date          `json:"renewal_due" doc:"Maturity, renewal or contract end."`
	EndedOn         Date          `json:"ended_on"`
	Note            string        `json:"note"`
	DueOn           Date          `json:"due_on" kewei:"readonly" doc:"When it is due for replacement or renewal (see due_source); null when nothing tells."`
	DueSource       string        `json:"due_source" kewei:"readonly" doc:"own_date (renewal_due), rhythm (the customer's own) or life_cycle (the product's)."`
	Masked          bool          `json:"masked" kewei:"readonly" doc:"The serial is hidden from you."`
	CreatedAt       time.Time     `json:"created_at" kewei:"readonly"`
	UpdatedAt       time.Time     `json:"updated_at" kewei:"readonly"`
	Version         int           `json:"version" kewei:"readonly"`
}

// Validate normalizes h and names every bad field.
func (h *Holding) Validate() error {
	var p Problems
	p.checkText("product", &h.Product, true, 200)
	p.checkText("category", &h.Category, false, 50)
	p.checkText("serial", &h.Serial, false, 64)
	if h.Status == "" {
		h.Status = HoldingActive
	}
	checkEnum(&p, "status", h.Status, HoldingStatuses, true)
	p.checkDate("acquired_on", h.AcquiredOn)
	p.checkDate("first_service_due", h.FirstServiceDue)
	p.checkDate("renewal_due", h.RenewalDue)
	p.checkDate("ended_on", h.EndedOn)
	if !h.EndedOn.IsZero() && !h.AcquiredOn.IsZero() && h.EndedOn.Before(h.AcquiredOn) {
		p.Add("ended_on", ReasonOutOfRange, "is before acquired_on")
	}
	p.checkText("note", &h.Note, false, 2000)
	return p.Err()
}

// Transaction is one purchase (历史购买记录). A negative amount is a refund.
type Transaction struct {
	ID         int64     `json:"id" kewei:"readonly"`
	CustomerID int64     `json:"customer_id" kewei:"readonly"`
	OccurredAt time.Time `json:"occurred_at"`
	Amount     Money     `json:"amount" doc:"Revenue; negative for a refund."`
	Profit     *Money    `json:"profit" doc:"Gross profit, when known."`
	Product    string    `json:"product"`
	Quantity   float64   `json:"quantity" doc:"1 when omitted."`
	Channel    string    `json:"channel" doc:"store, online, phone … as the business names them."`
	Region     string    `json:"region"`
	ExternalID string    `json:"external_id" doc:"Invoice or order number; unique per customer when set."`
	Note       string    `json:"note"`
	CreatedAt  time.Time `json:"created_at" kewei:"readonly"`
	UpdatedAt  time.Time `json:"updated_at" kewei:"readonly"`
	Version    int       `json:"version" kewei:"readonly"`
}

// Validate normalizes t and names every bad field.
func (t *Transaction) Validate() error {
	var p Problems
	if t.OccurredAt.IsZero() {
		p.Add("occurred_at", ReasonRequired, "is required")
	} else if y := t.OccurredAt.Year(); y < 1900 || y > 2200 {
		p.Add("occurred_at", ReasonOutOfRange, "year %d is out of range", y)
	}
	if t.Quantity == 0 {
		t.Quantity = 1
	}
	p.checkText("product", &t.Product, false, 200)
	p.checkText("channel", &t.Channel, false, 50)
	p.checkText("region", &t.Region, false, 50)
	p.checkText("external_id", &t.ExternalID, false, 64)
	p.checkText("note", &t.Note, false, 2000)
	return p.Err()
}

// Interaction is one contact with the customer (沟通记录).
type Interaction struct {
	ID         int64           `json:"id" kewei:"readonly"`
	CustomerID int64           `json:"customer_id" kewei:"readonly"`
	Kind       InteractionKind `json:"kind"`
	Direction  Direction       `json:"direction" doc:"outbound when omitted."`
	Purpose    Purpose         `json:"purpose" doc:"policy, information or relationship."`
	OccurredAt time.Time       `json:"occurred_at" doc:"Now when omitted."`
	UserID     int64           `json:"user_id" doc:"Who was in touch; the signed-in user when omitted."`
	UserName   string          `json:"user_name" kewei:"readonly"`
	Summary    string          `json:"summary"`
	Outcome    string          `json:"outcome"`
	NextStep   string          `json:"next_step"`
	CreatedAt  time.Time       `json:"created_at" kewei:"readonly"`
	UpdatedAt  time.Time       `json:"updated_at" kewei:"readonly"`
	Version    int             `json:"version" kewei:"readonly"`
}

// Validate normalizes i and names every bad field.
func (i *Interaction) Validate() error {
	var p Problems
	checkEnum(&p, "kind", i.Kind, InteractionKinds, true)
	if i.Direction == "" {
		i.Direction = DirectionOut
	}
	checkEnum(&p, "direction", i.Direction, Directions, true)
	checkEnum(&p, "purpose", i.Purpose, Purposes, false)
	if i.OccurredAt.IsZero() {
		p.Add("occurred_at", ReasonRequired, "is required")
	}
	p.checkText("summary", &i.Summary, true, 4000)
	p.checkText("outcome", &i.Outcome, false, 1000)
	p.checkText("next_step", &i.NextStep, false, 1000)
	return p.Err()
}

// RecordFilter selects a customer's child records (contacts, holdings,
// transactions, interactions), newest first.
type RecordFilter struct {
	CustomerID int64
	From, To   time.Time // on the record's own date; To is exclusive
	Cursor     string
	Limit      int
}

// RecordService keeps one kind of record that belongs to a customer. Reading
// or changing a record requires being allowed to see its customer.
type RecordService[T any] interface {
	// Find returns one record, or ENOTFOUND.
	Find(ctx context.Context, id int64) (*T, error)
	// List returns one page of a customer's records.
	List(ctx context.Context, f RecordFilter) (*List[*T], error)
	// Create validates r and stores it under customerID.
	Create(ctx context.Context, customerID int64, r *T) error
	// Update applies p if p.Version is current, otherwise ECONFLICT.
	Update(ctx context.Context, id int64, p Patch) (*T, error)
	// Delete removes the record if version is current.
	Delete(ctx context.Context, id int64, version int) error
}

// Records bundles the services for a customer's child records.
type Records struct {
	Contacts     RecordService[Contact]
	Holdings     RecordService[Holding]
	Transactions RecordService[Transaction]
	Interactions RecordService[Interaction]
	Services     RecordService[ServiceRecord]
}
