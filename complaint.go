package kewei

import (
	"context"
	"time"
)

// Severity is how bad a complaint is; it sets the SLA.
type Severity string

// Severities, mildest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists every severity.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Enum lists the allowed values, for the OpenAPI document.
func (Severity) Enum() []string { return enumStrings(Severities) }

// ComplaintStatus is where a complaint stands.
type ComplaintStatus string

// The complaint lifecycle, in order.
const (
	ComplaintReceived      ComplaintStatus = "received"
	ComplaintAcknowledged  ComplaintStatus = "acknowledged"
	ComplaintInvestigating ComplaintStatus = "investigating"
	ComplaintProposed      ComplaintStatus = "proposed"
	ComplaintResolved      ComplaintStatus = "resolved"
	ComplaintConfirmed     ComplaintStatus = "confirmed"
	ComplaintClosed        ComplaintStatus = "closed"
)

// ComplaintStatuses lists every status.
var ComplaintStatuses = []ComplaintStatus{ComplaintReceived, ComplaintAcknowledged, ComplaintInvestigating,
	ComplaintProposed, ComplaintResolved, ComplaintConfirmed, ComplaintClosed}

// Enum lists the allowed values, for the OpenAPI document.
func (ComplaintStatus) Enum() []string { return enumStrings(ComplaintStatuses) }

// Complaint is a customer's complaint and how it is being handled.
type Complaint struct {
	ID               int64           `json:"id" kewei:"readonly"`
	CustomerID       int64           `json:"customer_id"`
	CustomerName     string          `json:"customer_name" kewei:"readonly"`
	Channel          string          `json:"channel" doc:"How it came in: phone, store, email, wechat, web …"`
	Category         string          `json:"category" doc:"What it is about: product, service, price, delivery …"`
	Severity         Severity        `json:"severity"`
	Words            string          `json:"words" doc:"The customer's own words."`
	HoldingID        int64           `json:"holding_id" doc:"The holding it concerns, if any."`
	Status           ComplaintStatus `json:"status" kewei:"readonly"`
	Waiting          bool            `json:"waiting" kewei:"readonly" doc:"Waiting on the customer: the SLA clocks are paused."`
	RootCause        string          `json:"root_cause" kewei:"readonly"`
	CorrectiveAction string          `json:"corrective_action" kewei:"readonly"`
	Confirmation     string          `json:"confirmation" kewei:"readonly" doc:"What the customer said when confirming the solution."`
	AssigneeID       int64           `json:"assignee_id" kewei:"readonly"`
	AssigneeName     string          `json:"assignee_name" kewei:"readonly"`
	EscalationLevel  int             `json:"escalation_level" kewei:"readonly" doc:"0; 1 after the owner's manager took it; 2 after the next level."`
	ReceivedAt       time.Time       `json:"received_at" kewei:"readonly"`
	AcknowledgedAt   time.Time       `json:"acknowledged_at" kewei:"readonly"`
	ResolvedAt       time.Time       `json:"resolved_at" kewei:"readonly"`
	ClosedAt         time.Time       `json:"closed_at" kewei:"readonly"`
	PausedFor        time.Duration   `json:"-"`
	PausedSince      time.Time       `json:"paused_since" kewei:"readonly"`
	ResponseDue      time.Time       `json:"response_due" kewei:"readonly" doc:"When the first response is due, in business hours."`
	ResolutionDue    time.Time       `json:"resolution_due" kewei:"readonly"`
	ResponseLate     bool            `json:"response_late" kewei:"readonly"`
	ResolutionLate   bool            `json:"resolution_late" kewei:"readonly"`
	Version          int             `json:"version" kewei:"readonly"`
}

// Validate names every bad field of a new complaint.
func (c *Complaint) Validate() error {
	var p Problems
	if c.CustomerID == 0 {
		p.Add("customer_id", ReasonRequired, "name the customer")
	}
	p.checkText("channel", &c.Channel, true, 30)
	p.checkText("category", &c.Category, true, 50)
	if c.Severity == "" {
		c.Severity = SeverityMedium
	}
	checkEnum(&p, "severity", c.Severity, Severities, true)
	p.checkText("words", &c.Words, true, 5000)
	return p.Err()
}

// Complaint actions: each moves the complaint one step, or pauses or
// restarts its clocks.
const (
	ActAcknowledge = "acknowledge"
	ActInvestigate = "investigate"
	ActPropose     = "propose"
	ActResolve     = "resolve"
	ActConfirm     = "confirm"
	ActClose       = "close"
	ActReopen      = "reopen"
	ActWait        = "wait"
	ActResume      = "resume"
)

// ComplaintActions lists every action.
var ComplaintActions = []string{ActAcknowledge, ActInvestigate, ActPropose, ActResolve, ActConfirm, ActClose, ActReopen, ActWait, ActResume}

// ComplaintStep is one action on a complaint, with what it needs: a
// solution to propose, the customer's confirmation, the root cause and
// corrective action to close.
type ComplaintStep struct {
	Action           string `json:"action"`
	Note             string `json:"note"`
	RootCause        string `json:"root_cause" doc:"close: one of the root-cause taxonomy."`
	CorrectiveAction string `json:"corrective_action" doc:"close: what changes so it does not happen again."`
	Confirmation     string `json:"confirmation" doc:"confirm: what the customer said."`
	Version          int    `json:"version"`
}

// ComplaintEvent is one line of a complaint's history.
type ComplaintEvent struct {
	ID        int64           `json:"id"`
	Action    string          `json:"action"`
	From      ComplaintStatus `json:"from"`
	To        ComplaintStatus `json:"to"`
	Note      string          `json:"note"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	At        time.Time       `json:"at"`
}

// ComplaintFilter selects complaints.
type ComplaintFilter struct {
	CustomerID int64             `query:"customer"`
	Statuses   []ComplaintStatus `query:"status"`
	Open       bool              `query:"open" doc:"Only complaints not closed."`
	// A period (received or closed) lifts the limit: reports read every
	// complaint of their period.
	ReceivedFrom time.Time `query:"received_from"`
	ReceivedTo   time.Time `query:"received_to,end"`
	ClosedFrom   time.Time `query:"closed_from"`
	ClosedTo     time.Time `query:"closed_to,end"`
	Limit        int       `query:"limit" doc:"At most 200; without a period, 100 when omitted."`
}

// ComplaintStore keeps complaints; everything is within the caller's
// customers scope.
type ComplaintStore interface {
	CreateComplaint(ctx context.Context, c *Complaint) error
	FindComplaint(ctx context.Context, id int64) (*Complaint, []*ComplaintEvent, error)
	FindComplaints(ctx context.Context, f ComplaintFilter) ([]*Complaint, error)
	// ActOnComplaint applies a step when s.Version is current.
	ActOnComplaint(ctx context.Context, id int64, s ComplaintStep) (*Complaint, error)
	// RootCauses is the editable taxonomy of root causes.
	RootCauses(ctx context.Context) ([]string, error)
	SetRootCauses(ctx context.Context, causes []string) error
	// OpenComplaints lists every complaint not closed (administrators and
	// the system).
	OpenComplaints(ctx context.Context) ([]*Complaint, error)
	// EscalateComplaint hands the complaint to the manager level above its
	// assignee's and records level; audited.
	EscalateComplaint(ctx context.Context, id int64, level int) error
	// ComplaintOutcomes counts, among the customers in scope, those who
	// complained in [from, to) and bought again after, or are lost, and
	// the same of everyone else (bought in the period).
	ComplaintOutcomes(ctx context.Context, from, to time.Time) (*OutcomeCounts, error)
}

// ComplaintService is complaints with their SLA clocks computed.
type ComplaintService interface {
	ComplaintStore
	// EscalateComplaints raises each open complaint to as many levels as
	// its clocks have run out by now (administrators and the system), and
	// says how many moved.
	EscalateComplaints(ctx context.Context, now time.Time) (int, error)
	// ServiceReport sums complaints and satisfaction over [from, to).
	ServiceReport(ctx context.Context, from, to time.Time) (*ServiceReport, error)
}
