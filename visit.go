package kewei

import (
	"context"
	"time"
)

// VisitStatus is where a visit stands.
type VisitStatus string

// The visit flow: planned, then the report submitted to the manager, who
// returns it with comments or approves it.
const (
	VisitPlanned   VisitStatus = "planned"
	VisitSubmitted VisitStatus = "submitted"
	VisitReturned  VisitStatus = "returned"
	VisitApproved  VisitStatus = "approved"
)

// VisitStatuses lists every status.
var VisitStatuses = []VisitStatus{VisitPlanned, VisitSubmitted, VisitReturned, VisitApproved}

// Enum lists the allowed values, for the OpenAPI document.
func (VisitStatus) Enum() []string { return enumStrings(VisitStatuses) }

// VisitChecklist is what a consultant may bring.
var VisitChecklist = []string{"brochure", "business_card", "gift", "contract", "quotation", "samples"}

// Visit is a planned visit to a customer and, after it, the report.
type Visit struct {
	ID              int64       `json:"id" kewei:"readonly"`
	CustomerID      int64       `json:"customer_id"`
	CustomerName    string      `json:"customer_name" kewei:"readonly"`
	UserID          int64       `json:"user_id" kewei:"readonly" doc:"The consultant visiting."`
	UserName        string      `json:"user_name" kewei:"readonly"`
	PlannedAt       time.Time   `json:"planned_at"`
	Purpose         string      `json:"purpose"`
	Questions       string      `json:"questions" doc:"Questions the customer is expected to ask."`
	CompetitorNotes string      `json:"competitor_notes"`
	Checklist       []string    `json:"checklist" doc:"What to bring: brochure, business_card, gift, contract, quotation, samples."`
	Status          VisitStatus `json:"status" kewei:"readonly"`
	// The report.
	DecisionMaker string   `json:"decision_maker"`
	Influencers   string   `json:"influencers"`
	FrontDesk     string   `json:"front_desk" doc:"Who is at the front desk."`
	Needs         string   `json:"needs"`
	NextSteps     []string `json:"next_steps" doc:"Each becomes a task for the consultant when the report is approved."`
	// The review.
	ReviewerID    int64         `json:"reviewer_id" kewei:"readonly"`
	ReviewerName  string        `json:"reviewer_name" kewei:"readonly"`
	ReviewComment string        `json:"review_comment" kewei:"readonly"`
	SubmittedAt   time.Time     `json:"submitted_at" kewei:"readonly"`
	ReviewedAt    time.Time     `json:"reviewed_at" kewei:"readonly"`
	Version       int           `json:"version" kewei:"readonly"`
	Attachments   []*Attachment `json:"attachments" kewei:"readonly"`
}

// Attachment limits: per file and per visit.
const (
	MaxAttachmentSize = 10 << 20
	MaxAttachments    = 20
)

// Attachment is a file attached to a visit report.
type Attachment struct {
	ID          int64     `json:"id"`
	VisitID     int64     `json:"visit_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// ValidatePlan names every bad field of a plan.
func (v *Visit) ValidatePlan() error {
	var p Problems
	if v.PlannedAt.IsZero() {
		p.Add("planned_at", ReasonRequired, "say when")
	}
	p.checkText("purpose", &v.Purpose, true, 500)
	p.checkText("questions", &v.Questions, false, 2000)
	p.checkText("competitor_notes", &v.CompetitorNotes, false, 2000)
	for _, c := range v.Checklist {
		if !contains(VisitChecklist, c) {
			p.Add("checklist", ReasonUnknownChoice, "%q is not among %v", c, VisitChecklist)
		}
	}
	return p.Err()
}

// ValidateReport names every bad field of a report.
func (v *Visit) ValidateReport() error {
	var p Problems
	p.checkText("decision_maker", &v.DecisionMaker, true, 200)
	p.checkText("influencers", &v.Influencers, false, 500)
	p.checkText("front_desk", &v.FrontDesk, false, 200)
	p.checkText("needs", &v.Needs, true, 2000)
	for i := range v.NextSteps {
		p.checkText("next_steps", &v.NextSteps[i], false, 300)
	}
	return p.Err()
}

// VisitReview is a manager's decision on a report.
type VisitReview struct {
	Approve bool   `json:"approve"`
	Comment string `json:"comment" doc:"Required to return a report."`
	Version int    `json:"version"`
}

// VisitFilter selects visits.
type VisitFilter struct {
	Mine     bool  `query:"mine" doc:"Only your visits."`
	ToReview bool  `query:"to_review" doc:"Reports waiting for your review."`
	Open     bool  `query:"open" doc:"Only visits still to report: planned or returned."`
	Customer int64 `query:"customer"`
	Limit    int   `query:"limit"`
}

// VisitService keeps visits: consultants plan and report theirs, their
// managers review the reports.
type VisitService interface {
	PlanVisit(ctx context.Context, v *Visit) error
	FindVisit(ctx context.Context, id int64) (*Visit, error)
	FindVisits(ctx context.Context, f VisitFilter) ([]*Visit, error)
	// ReportVisit saves the report and submits it (again, after a return).
	ReportVisit(ctx context.Context, id int64, report *Visit) (*Visit, error)
	// ReviewVisit approves (the next steps become tasks) or returns the
	// report; only the consultant's manager, or an administrator, may.
	ReviewVisit(ctx context.Context, id int64, r VisitReview) (*Visit, error)
	// Attach adds a file to a visit's report: the visiting consultant's,
	// until the report is approved.
	Attach(ctx context.Context, visitID int64, name string, data []byte) (*Attachment, error)
	// FindAttachment reads an attachment of a visit in scope, with its bytes.
	FindAttachment(ctx context.Context, id int64) (*Attachment, []byte, error)
}
