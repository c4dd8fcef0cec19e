package kewei

import "time"

// TaskStatus is where a follow-up task stands.
type TaskStatus string

// Task states; "overdue" is an open task past its due time, as lists show it.
const (
	TaskOpen    TaskStatus = "open"
	TaskDone    TaskStatus = "done"
	TaskSkipped TaskStatus = "skipped"
	TaskOverdue TaskStatus = "overdue"
)

// TaskStatuses lists every status.
var TaskStatuses = []TaskStatus{TaskOpen, TaskDone, TaskSkipped, TaskOverdue}

// Enum lists the allowed values, for the OpenAPI document.
func (TaskStatus) Enum() []string { return enumStrings(TaskStatuses) }

// Task is one follow-up a playbook planned: one per customer, step and
// anchor date, however often the planner runs.
type Task struct {
	ID            int64           `json:"id" kewei:"readonly"`
	CustomerID    int64           `json:"customer_id"`
	CustomerName  string          `json:"customer_name"`
	PlaybookID    int64           `json:"playbook_id"`
	PlaybookName  string          `json:"playbook_name"`
	StepKey       string          `json:"step_key"`
	Anchor        Date            `json:"anchor" doc:"The date the step counted from: the delivery, the birthday, the holiday …"`
	DueAt         time.Time       `json:"due_at"`
	AssigneeID    int64           `json:"assignee_id" doc:"0 when the task waits for anyone of its role."`
	AssigneeName  string          `json:"assignee_name"`
	AssigneeRole  Assignee        `json:"assignee_role"`
	Action        InteractionKind `json:"action"`
	TalkingPoints string          `json:"talking_points"`
	SurveyID      int64           `json:"survey_id" doc:"A satisfaction survey this task sends, if any."`
	Status        TaskStatus      `json:"status"`
	SkipReason    string          `json:"skip_reason"`
	DoneAt        time.Time       `json:"done_at"`
	InteractionID int64           `json:"interaction_id"`
	EscalatedAt   time.Time       `json:"escalated_at" doc:"When the overdue task moved to the owner's manager, if it did."`
	CreatedAt     time.Time       `json:"created_at"`
	Version       int             `json:"version"`
}

// TaskFilter selects tasks.
type TaskFilter struct {
	Mine       bool         `query:"mine" doc:"Only tasks assigned to you (or to your role and nobody)."`
	CustomerID int64        `query:"customer"`
	Statuses   []TaskStatus `query:"status"`
	DueBefore  time.Time    `query:"due_before"`
	Limit      int          `query:"limit"`
	Cursor     string       `query:"cursor"`
}

// TaskCompletion is what happened when the task was done.
type TaskCompletion struct {
	Summary string `json:"summary"`
	Outcome string `json:"outcome"`
}

// TaskRun is what one planning run did.
type TaskRun struct {
	Now       time.Time `json:"now"`
	Customers int       `json:"customers" doc:"Customers looked at."`
	Planned   int       `json:"planned" doc:"New tasks."`
	Existing  int       `json:"existing" doc:"Tasks already planned by an earlier run."`
	NoConsent int       `json:"no_consent" doc:"Tasks not planned because the customer refused the channel."`
	Escalated int       `json:"escalated" doc:"Overdue tasks handed to the owner's manager."`
	Pooled    int       `json:"pooled" doc:"Customers returned to the shared pool by its rules."`
	Took      string    `json:"took"`
}
