package kewei

import (
	"context"
	"time"
)

// Notification channels.
const (
	NotifyWebhook = "webhook"
	NotifyEmail   = "email"
)

// Notification states.
const (
	NotifyPending = "pending"
	NotifySent    = "sent"
	NotifyFailed  = "failed" // gave up after the last attempt
)

// Notification is a reminder waiting to go out, or gone.
type Notification struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key" doc:"Keeps the reminder single, e.g. task:123:webhook."`
	Channel   string    `json:"channel"`
	Target    string    `json:"target" doc:"The email address; the webhook's is the installation's."`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at"`
}

// DueTask is an open task due soon, with what a reminder needs of its
// assignee.
type DueTask struct {
	Task          *Task
	CustomerPhone string // the customer's first phone, for a survey link by SMS
	Email         string
	Phone         string
	Locale        string
	UserName      string
}

// NotificationStore keeps the reminder outbox (administrators and the
// system only).
type NotificationStore interface {
	// DueTasks lists the open tasks due before before that have an
	// assignee, with the assignee's contact details.
	DueTasks(ctx context.Context, before time.Time) ([]DueTask, error)
	// EnqueueNotifications adds the reminders whose keys are new and says
	// how many were.
	EnqueueNotifications(ctx context.Context, ns []Notification) (int, error)
	// PendingNotifications lists up to limit reminders due to go out by now.
	PendingNotifications(ctx context.Context, now time.Time, limit int) ([]Notification, error)
	// MarkNotification records an attempt: sent, or failed with the error
	// and when to try again (a zero time gives up).
	MarkNotification(ctx context.Context, id int64, sent bool, errText string, next time.Time) error
}
