package kewei

import (
	"context"
	"time"
)

// StageKind says whether a pipeline stage is still open, won or lost.
type StageKind string

// Kinds of stage.
const (
	PipelineOpen StageKind = "open"
	PipelineWon  StageKind = "won"
	PipelineLost StageKind = "lost"
)

// StageKinds lists every kind.
var StageKinds = []StageKind{PipelineOpen, PipelineWon, PipelineLost}

// Enum lists the allowed values, for the OpenAPI document.
func (StageKind) Enum() []string { return enumStrings(StageKinds) }

// PipelineStage is one column of the sales pipeline. Administrators edit
// the stages; their order is the order of the list.
type PipelineStage struct {
	ID          int64     `json:"id" doc:"Zero for a new stage."`
	Name        string    `json:"name" doc:"The name in Chinese."`
	NameEN      string    `json:"name_en" doc:"The name in English; the Chinese name when empty."`
	Probability int       `json:"probability" doc:"The win probability, in percent, an opportunity takes on entering the stage."`
	Kind        StageKind `json:"kind"`
}

// Opportunity is a possible sale to a customer, moving through the stages.
type Opportunity struct {
	ID            int64     `json:"id" kewei:"readonly"`
	CustomerID    int64     `json:"customer_id" kewei:"readonly"`
	CustomerName  string    `json:"customer_name" kewei:"readonly"`
	OwnerID       int64     `json:"owner_id" kewei:"readonly"`
	OwnerName     string    `json:"owner_name" kewei:"readonly"`
	Name          string    `json:"name"`
	StageID       int64     `json:"stage_id" doc:"The first open stage when omitted."`
	StageName     string    `json:"stage_name" kewei:"readonly"`
	StageNameEN   string    `json:"stage_name_en" kewei:"readonly"`
	StageKind     StageKind `json:"stage_kind" kewei:"readonly"`
	Amount        Money     `json:"amount"`
	ExpectedClose Date      `json:"expected_close"`
	Probability   int       `json:"probability" doc:"Percent; the stage's when omitted or when the stage changes without one."`
	Weighted      Money     `json:"weighted" kewei:"readonly" doc:"Amount × probability."`
	CampaignID    int64     `json:"campaign_id" doc:"The campaign that brought it, if any."`
	Note          string    `json:"note"`
	CreatedAt     time.Time `json:"created_at" kewei:"readonly"`
	UpdatedAt     time.Time `json:"updated_at" kewei:"readonly"`
	ClosedAt      time.Time `json:"closed_at" kewei:"readonly" doc:"When it entered a won or lost stage."`
	Version       int       `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (o *Opportunity) Validate() error {
	var p Problems
	p.checkText("name", &o.Name, true, 200)
	p.checkText("note", &o.Note, false, 2000)
	if o.Amount < 0 {
		p.Add("amount", ReasonOutOfRange, "cannot be negative")
	}
	if o.Probability < 0 || o.Probability > 100 {
		p.Add("probability", ReasonOutOfRange, "a percentage from 0 to 100")
	}
	return p.Err()
}

// OpportunityFilter selects opportunities.
type OpportunityFilter struct {
	Mine     bool  `query:"mine" doc:"Only yours."`
	Stage    int64 `query:"stage"`
	Customer int64 `query:"customer"`
	Open     bool  `query:"open" doc:"Only those in open stages."`
	Limit    int   `query:"limit"`
}

// PipelineColumn is one stage of the kanban with its opportunities.
type PipelineColumn struct {
	Stage         PipelineStage  `json:"stage"`
	Count         int            `json:"count"`
	Amount        Money          `json:"amount"`
	Weighted      Money          `json:"weighted"`
	Opportunities []*Opportunity `json:"opportunities" doc:"The first 100, soonest expected close first."`
}

// Pipeline is the kanban: every stage in order.
type Pipeline struct {
	Columns []*PipelineColumn `json:"columns"`
}

// ContractStatus is where a contract stands.
type ContractStatus string

// The contract lifecycle: signed, executing, then ended or terminated.
const (
	ContractSigned     ContractStatus = "signed"
	ContractExecuting  ContractStatus = "executing"
	ContractEnded      ContractStatus = "ended"
	ContractTerminated ContractStatus = "terminated"
)

// ContractStatuses lists every status.
var ContractStatuses = []ContractStatus{ContractSigned, ContractExecuting, ContractEnded, ContractTerminated}

// Enum lists the allowed values, for the OpenAPI document.
func (ContractStatus) Enum() []string { return enumStrings(ContractStatuses) }

// ContractMoves lists the statuses each status may move to.
var ContractMoves = map[ContractStatus][]ContractStatus{
	ContractSigned:    {ContractExecuting, ContractTerminated},
	ContractExecuting: {ContractEnded, ContractTerminated},
}

// Contract is an agreement signed with a customer. Its end date, while it
// is signed or executing, drives the playbooks' contract_end steps
// (renewal reminders).
type Contract struct {
	ID            int64          `json:"id" kewei:"readonly"`
	CustomerID    int64          `json:"customer_id" kewei:"readonly"`
	CustomerName  string         `json:"customer_name" kewei:"readonly"`
	OpportunityID int64          `json:"opportunity_id"`
	Number        string         `json:"number" doc:"The contract's number, unique."`
	Title         string         `json:"title"`
	Amount        Money          `json:"amount"`
	SignedOn      Date           `json:"signed_on"`
	StartsOn      Date           `json:"starts_on"`
	EndsOn        Date           `json:"ends_on"`
	Status        ContractStatus `json:"status" doc:"signed when created; then executing, ended or terminated."`
	OwnerID       int64          `json:"owner_id" kewei:"readonly"`
	OwnerName     string         `json:"owner_name" kewei:"readonly"`
	CreatedAt     time.Time      `json:"created_at" kewei:"readonly"`
	Version       int            `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (c *Contract) Validate() error {
	var p Problems
	p.checkText("number", &c.Number, true, 60)
	p.checkText("title", &c.Title, true, 200)
	if c.Amount < 0 {
		p.Add("amount", ReasonOutOfRange, "cannot be negative")
	}
	if c.SignedOn.IsZero() {
		p.Add("signed_on", ReasonRequired, "say when it was signed")
	}
	if !c.StartsOn.IsZero() && !c.EndsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		p.Add("ends_on", ReasonOutOfRange, "ends before it starts")
	}
	if !contains(ContractStatuses, c.Status) {
		p.Add("status", ReasonUnknownChoice, "must be one of %v", ContractStatuses)
	}
	return p.Err()
}

// OpportunityService keeps the pipeline, its opportunities and the
// contracts they end in, within the caller's customer scope.
type OpportunityService interface {
	Stages(ctx context.Context) ([]PipelineStage, error)
	// SetStages replaces the stages, in order (administrators); a stage
	// still holding opportunities cannot be removed.
	SetStages(ctx context.Context, stages []PipelineStage) ([]PipelineStage, error)
	CreateOpportunity(ctx context.Context, o *Opportunity) error
	FindOpportunity(ctx context.Context, id int64) (*Opportunity, error)
	FindOpportunities(ctx context.Context, f OpportunityFilter) ([]*Opportunity, error)
	UpdateOpportunity(ctx context.Context, id int64, p Patch) (*Opportunity, error)
	FindPipeline(ctx context.Context, f OpportunityFilter) (*Pipeline, error)

	CreateContract(ctx context.Context, c *Contract) error
	FindContract(ctx context.Context, id int64) (*Contract, error)
	FindContracts(ctx context.Context, customerID int64) ([]*Contract, error)
	// UpdateContract changes a contract; its status moves only as
	// ContractMoves allows.
	UpdateContract(ctx context.Context, id int64, p Patch) (*Contract, error)
}
