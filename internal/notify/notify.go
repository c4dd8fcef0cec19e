// Package notify sends the reminders of due tasks: a signed webhook per
// task for SMS or WeChat gateways, and a daily email digest per person,
// through an outbox that retries with backoff and keeps quiet hours.
package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Sender plans and sends reminders.
type Sender struct {
	Store kewei.NotificationStore
	// WebhookURL receives a signed POST per due task; none when empty.
	WebhookURL    string
	WebhookSecret string
	// Mail sends the digests; none when nil.
	Mail     Mailer
	Location *time.Location
	// QuietFrom and QuietTo bound the night, in hours (21 and 8 when both
	// are zero): nothing goes out then.
	QuietFrom, QuietTo int
	Client             *http.Client
	Logger             *slog.Logger
	// Label names an interaction kind in a language.
	Label func(locale string, k kewei.InteractionKind) string
	// Surveys makes the links of tasks that send a survey, at delivery:
	// the token is never stored in clear in the outbox.
	Surveys kewei.SurveyService
}

// MaxAttempts is how often a reminder is tried before Kewei gives up.
const MaxAttempts = 8

func (s *Sender) loc() *time.Location {
	if s.Location == nil {
		return time.Local
	}
	return s.Location
}

// quiet reports whether t falls in the quiet hours, and when they end.
func (s *Sender) quiet(t time.Time) (bool, time.Time) {
	from, to := s.QuietFrom, s.QuietTo
	if from == 0 && to == 0 {
		from, to = 21, 8
	}
	l := t.In(s.loc())
	h := l.Hour()
	if h >= from || h < to {
		end := time.Date(l.Year(), l.Month(), l.Day(), to, 0, 0, 0, s.loc())
		if h >= from {
			end = end.AddDate(0, 0, 1)
		}
		return true, end
	}
	return false, time.Time{}
}

// Backoff is the wait after the attempt-th failed attempt: 1, 2, 4 …
// minutes, at most six hours.
func Backoff(attempt int) time.Duration {
	d := time.Minute << min(attempt, 9)
	return min(d, 6*time.Hour)
}

// WebhookEvent is the body of a reminder webhook.
type WebhookEvent struct {
	Event    string      `json:"event"`
	Task     *kewei.Task `json:"task"`
	Assignee struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
		Email string `json:"email"`
	} `json:"assignee"`
	// Survey, for a task that sends one, is a fresh single-use link for
	// the gateway to text to the customer's phone.
	Survey *SurveyLink `json:"survey,omitempty"`
}

// SurveyLink is a survey link to send to a customer.
type SurveyLink struct {
	Path          string    `json:"path" doc:"On the server: /s/TOKEN."`
	ExpiresAt     time.Time `json:"expires_at"`
	CustomerPhone string    `json:"customer_phone"`
}

// Plan queues the reminders of the tasks due by the end of today: one
// webhook per task, one digest email per person. Keys make a second plan
// the same day queue nothing new.
func (s *Sender) Plan(ctx context.Context, now time.Time) (int, error) {
	if s.WebhookURL == "" && s.Mail == nil {
		return 0, nil
	}
	l := now.In(s.loc())
	endOfDay := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, s.loc())
	due, err := s.Store.DueTasks(ctx, endOfDay)
	if err != nil {
		return 0, err
	}
	day := l.Format(time.DateOnly)
	var ns []kewei.Notification
	digests := map[string][]kewei.DueTask{}
	for _, d := range due {
		if s.WebhookURL != "" {
			ev := WebhookEvent{Event: "task.due", Task: d.Task}
			ev.Assignee.Name, ev.Assignee.Phone, ev.Assignee.Email = d.UserName, d.Phone, d.Email
			if d.Task.SurveyID != 0 {
				ev.Survey = &SurveyLink{CustomerPhone: d.CustomerPhone} // the link is made when sent
			}
			b, err := json.Marshal(ev)
			if err != nil {
				return 0, err
			}
			ns = append(ns, kewei.Notification{Key: fmt.Sprintf("task:%d:webhook", d.Task.ID), Channel: kewei.NotifyWebhook,
				Target: s.WebhookURL, Body: string(b), NextAt: now})
		}
		if s.Mail != nil && d.Email != "" {
			digests[d.Email] = append(digests[d.Email], d)
		}
	}
	emails := make([]string, 0, len(digests))
	for e := range digests {
		emails = append(emails, e)
	}
	sort.Strings(emails)
	for _, e := range emails {
		subject, body := s.digest(digests[e], l)
		ns = append(ns, kewei.Notification{Key: "digest:" + e + ":" + day, Channel: kewei.NotifyEmail, Target: e,
			Subject: subject, Body: body, NextAt: now})
	}
	return s.Store.EnqueueNotifications(ctx, ns)
}

// digest writes one person's email of the day's tasks, in their language.
func (s *Sender) digest(ds []kewei.DueTask, now time.Time) (string, string) {
	zh := !strings.HasPrefix(ds[0].Locale, "en")
	var b strings.Builder
	subject := fmt.Sprintf("今天的回访任务（%d 个）", len(ds))
	if !zh {
		subject = fmt.Sprintf("Your follow-up tasks today (%d)", len(ds))
	}
	for _, d := range ds {
		t := d.Task
		label := string(t.Action)
		if s.Label != nil {
			label = s.Label(ds[0].Locale, t.Action)
		}
		late := ""
		if t.DueAt.Before(now) {
			late = map[bool]string{true: "（逾期）", false: " (overdue)"}[zh]
		}
		fmt.Fprintf(&b, "%s  %s · %s%s\n", t.DueAt.In(s.loc()).Format("01-02 15:04"), label, t.CustomerName, late)
		if t.TalkingPoints != "" {
			fmt.Fprintf(&b, "    %s\n", t.TalkingPoints)
		}
	}
	return subject, b.String()
}
