package kewei

import (
	"context"
	"time"
)

// AdherenceLine is how one person, team or playbook step kept up with its
// tasks due in a period. A task is on time when it was done within a day
// of its due time.
type AdherenceLine struct {
	Key     string  `json:"key" doc:"The person's or team's id, or playbook id:step."`
	Name    string  `json:"name"`
	Due     int     `json:"due" doc:"Tasks due in the period."`
	Done    int     `json:"done"`
	OnTime  int     `json:"on_time"`
	Skipped int     `json:"skipped"`
	Overdue int     `json:"overdue" doc:"Still open past their due time."`
	Share   float64 `json:"on_time_share" doc:"on_time ÷ due, 0 to 1."`
}

// Adherence is task adherence by person, team and playbook step.
type Adherence struct {
	From     time.Time       `json:"from"`
	To       time.Time       `json:"to"`
	People   []AdherenceLine `json:"people"`
	Teams    []AdherenceLine `json:"teams"`
	Steps    []AdherenceLine `json:"steps"`
	Coverage []CoverageLine  `json:"coverage"`
	Days     int             `json:"coverage_days"`
}

// CoverageLine counts one tier's customers nobody has contacted for the
// report's days.
type CoverageLine struct {
	Tier         Tier `json:"tier"`
	Customers    int  `json:"customers"`
	NotContacted int  `json:"not_contacted"`
}

// AdherenceRow is one group of tasks as the store counts them.
type AdherenceRow struct {
	AssigneeID   int64
	AssigneeName string
	TeamID       int64
	TeamName     string
	PlaybookID   int64
	PlaybookName string
	StepKey      string
	Due, Done    int
	OnTime       int
	Skipped      int
	Overdue      int
}

// FollowUpReports are the task adherence and coverage counts of the
// customers an actor sees.
type FollowUpReports interface {
	// TaskAdherence counts the tasks due in [from, to) by assignee, team
	// and step.
	TaskAdherence(ctx context.Context, from, to time.Time) ([]AdherenceRow, error)
	// Coverage counts customers by tier, and those not contacted since
	// since (or never).
	Coverage(ctx context.Context, since time.Time) ([]CoverageLine, error)
}
