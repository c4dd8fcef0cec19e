package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

// Mailer sends one email.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Sign is the webhook signature of body sent at ts: hex HMAC-SHA256 of
// "ts.body" with the shared secret, as the X-Kewei-Signature header
// carries it ("sha256=…"). Receivers recompute it and refuse old stamps.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send delivers the reminders due by now, outside quiet hours; a failure
// is tried again after a growing wait, up to MaxAttempts. It says how many
// went out.
func (s *Sender) Send(ctx context.Context, now time.Time) (int, error) {
	if q, _ := s.quiet(now); q {
		return 0, nil
	}
	pending, err := s.Store.PendingNotifications(ctx, now, 200)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, n := range pending {
		err := s.deliver(ctx, n, now)
		next := time.Time{}
		errText := ""
		if err != nil {
			errText = err.Error()
			if n.Attempts+1 < MaxAttempts {
				next = now.Add(Backoff(n.Attempts))
				if q, end := s.quiet(next); q {
					next = end
				}
			}
			if s.Logger != nil {
				s.Logger.Warn("reminder not delivered", "id", n.ID, "channel", n.Channel, "attempt", n.Attempts+1, "err", err)
			}
		} else {
			sent++
		}
		if merr := s.Store.MarkNotification(ctx, n.ID, err == nil, errText, next); merr != nil {
			return sent, merr
		}
	}
	return sent, nil
}

func (s *Sender) deliver(ctx context.Context, n kewei.Notification, now time.Time) error {
	switch n.Channel {
	case kewei.NotifyEmail:
		if s.Mail == nil {
			return fmt.Errorf("no mail server is set")
		}
		return s.Mail.Send(ctx, n.Target, n.Subject, n.Body)
	case kewei.NotifyWebhook:
		body, err := s.withSurveyLink(ctx, []byte(n.Body))
		if err != nil {
			return err
		}
		ts := now.Unix()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.Target, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Kewei-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Kewei-Signature", Sign(s.WebhookSecret, ts, body))
		req.Header.Set("X-Kewei-Delivery", strconv.FormatInt(n.ID, 10))
		client := s.Client
		if client == nil {
			client = &http.Client{Timeout: 10 * time.Second}
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("the webhook answered %s", resp.Status)
		}
		return nil
	}
	return fmt.Errorf("unknown channel %q", n.Channel)
}

// withSurveyLink makes the survey link of a reminder that sends one, so the
// token exists only in the request that carries it.
func (s *Sender) withSurveyLink(ctx context.Context, body []byte) ([]byte, error) {
	var ev WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.Survey == nil || ev.Task == nil || s.Surveys == nil {
		return body, nil
	}
	inv, err := s.Surveys.InviteToSurvey(ctx, ev.Task.CustomerID, ev.Task.SurveyID, 7)
	if err != nil {
		return nil, err
	}
	ev.Survey.Path, ev.Survey.ExpiresAt = "/s/"+inv.Token, inv.ExpiresAt
	return json.Marshal(ev)
}
