package kewei

import (
	"context"
	"time"
)

// CustomerFacts is what the task planner knows of one customer.
type CustomerFacts struct {
	ID           int64
	OwnerID      int64
	ManagerID    int64 // the manager of the owner's team
	Tier         Tier
	Stage        Stage
	Intent       Intent
	Tags         []string
	Created      Date
	LastContact  Date // zero when never contacted
	LastPurchase Date // the latest transaction's day; zero when none
	LastService  Date // the latest after-sales service's day
	// Days of recent events: complaints closed, surveys answered.
	ComplaintsClosed []Date
	SurveysAnswered  []Date
	RetentionAsked   []Date // days retention was asked for, from the churn risk list
	Birthday         Date
	Family           []Date // family members' birthdays
	Holdings         []HoldingDates
	ContractEnds     []Date // end dates of signed and executing contracts
	TierChanges      []TierMove
	Refused          []Channel // channels whose latest answer is a refusal
}

// HoldingDates is the dates of one holding.
type HoldingDates struct {
	Category   string
	AcquiredOn Date
	RenewalDue Date
	DueOn      Date // replacement or renewal due (DueHoldings)
}

// TierMove is one move of a customer's tier.
type TierMove struct {
	On Date
	Up bool
}

// PlannedTask is a task the planner wants to exist.
type PlannedTask struct {
	CustomerID    int64
	PlaybookID    int64
	StepKey       string
	Anchor        Date
	Due           Date
	AssigneeID    int64
	Role          Assignee
	Action        InteractionKind
	TalkingPoints string
	SurveyID      int64
}

// PlaybookStore keeps playbooks and tasks; the planner reads customers
// through it and hands it the tasks to create.
type PlaybookStore interface {
	FindPlaybooks(ctx context.Context) ([]*Playbook, error)
	FindPlaybook(ctx context.Context, id int64) (*Playbook, error)
	CreatePlaybook(ctx context.Context, pb *Playbook) error
	UpdatePlaybook(ctx context.Context, pb *Playbook) error
	DeletePlaybook(ctx context.Context, id int64) error

	FindTasks(ctx context.Context, f TaskFilter) (*List[*Task], error)
	CompleteTask(ctx context.Context, id int64, c TaskCompletion) (*Task, error)
	SkipTask(ctx context.Context, id int64, reason string) (*Task, error)

	// EachCustomerFacts reads every customer's facts in batches, in id
	// order, with tier moves since since, instants read as days in loc
	// (administrators and the system).
	EachCustomerFacts(ctx context.Context, since time.Time, loc *time.Location, batch int, fn func([]CustomerFacts) error) error
	// CustomerFacts reads the facts of some customers.
	CustomerFacts(ctx context.Context, ids []int64, since time.Time, loc *time.Location) ([]CustomerFacts, error)
	// InsertTasks creates the planned tasks that do not exist yet, due at
	// their due date's hour in loc, and says how many were new.
	InsertTasks(ctx context.Context, ts []PlannedTask, dueAt func(Date) time.Time) (int, error)
	// EscalateTasks hands the open tasks due before before, not yet
	// escalated, to the manager of their assignee's team, and says how
	// many moved.
	EscalateTasks(ctx context.Context, before time.Time) (int, error)
	FollowUpReports
	HolidayStore
}
