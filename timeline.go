package kewei

import (
	"context"
	"time"
)

// TimelineEntry is one event in a customer's history.
type TimelineEntry struct {
	Kind     string    `json:"kind" enum:"interaction,transaction,holding,contact,created,service,survey,complaint,complaint_step,visit" doc:"Which record the entry is."`
	ID       int64     `json:"id" doc:"The record's id."`
	At       time.Time `json:"at"`
	Subkind  string    `json:"subkind" doc:"For interactions the channel (call, visit …); for holdings the category."`
	Title    string    `json:"title" doc:"The summary, product or name the record carries."`
	Detail   string    `json:"detail" doc:"Outcome, note or next step."`
	Amount   *Money    `json:"amount" doc:"For transactions and holdings."`
	UserID   int64     `json:"user_id" doc:"Who did it, when known."`
	UserName string    `json:"user_name"`
}

// TimelineFilter selects one page of a customer's timeline, newest first.
type TimelineFilter struct {
	CustomerID int64
	Kinds      []string
	Cursor     string
	Limit      int
}

// TimelineService reads customers' timelines.
type TimelineService interface {
	// FindTimeline returns one page of a customer's history.
	FindTimeline(ctx context.Context, f TimelineFilter) (*List[*TimelineEntry], error)
}

// TimelineKinds lists the kinds of entry.
var TimelineKinds = []string{"interaction", "transaction", "holding", "contact", "created", "service", "survey", "complaint", "complaint_step", "visit"}
