package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/notify"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

type mails struct {
	mu   sync.Mutex
	sent []string
}

func (m *mails) Send(_ context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to+"|"+subject+"|"+body)
	return nil
}

func TestRemindersAreSignedRetriedAndQuietAtNight(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loc, _ := time.LoadLocation("Asia/Shanghai")
		clock := time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
		db.Now = func() time.Time { return clock }
		u := &kewei.User{Name: "wangli", DisplayName: "王丽", Role: kewei.RoleConsultant, Email: "wl@example.com", Phone: "13812345678"}
		if err := sqlstore.NewUserService(db).CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		c := &kewei.Customer{Name: "张三", Stage: kewei.StageCustomer, OwnerID: u.ID}
		if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, c); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.NewRecords(db).Holdings.Create(sys, c.ID, &kewei.Holding{Product: "车", AcquiredOn: kewei.Date{Year: 2026, Month: 11, Day: 19}}); err != nil {
			t.Fatal(err)
		}
		pbs := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc}
		if err := pbs.CreatePlaybook(sys, &kewei.Playbook{Template: playbook.TemplateDelivery, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := pbs.RunTasks(sys, clock); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []notify.WebhookEvent
		fail := 1 // the gateway is down for the first call
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			ts, _ := strconv.ParseInt(r.Header.Get("X-Kewei-Timestamp"), 10, 64)
			if r.Header.Get("X-Kewei-Signature") != notify.Sign("s3cret", ts, body) {
				http.Error(w, "bad signature", http.StatusUnauthorized)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if fail > 0 {
				fail--
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			var ev notify.WebhookEvent
			_ = json.Unmarshal(body, &ev)
			got = append(got, ev)
		}))
		defer srv.Close()
		m := &mails{}
		s := &notify.Sender{Store: sqlstore.NewNotificationService(db), WebhookURL: srv.URL, WebhookSecret: "s3cret", Mail: m, Location: loc}
		n, err := s.Plan(sys, clock)
		if err != nil || n != 3 { // two tasks due today, one digest
			t.Fatalf("planned %d reminders (%v), want 2 webhooks and 1 email", n, err)
		}
		if again, _ := s.Plan(sys, clock); again != 0 {
			t.Fatalf("a second plan the same day queued %d", again)
		}
		sent, err := s.Send(sys, clock)
		if err != nil || sent != 2 || len(got) != 1 || len(m.sent) != 1 {
			t.Fatalf("first send: %d sent (%v), %d webhooks, %d mails; want one webhook refused", sent, err, len(got), len(m.sent))
		}
		if !strings.Contains(m.sent[0], "wl@example.com|今天的回访任务（2 个）|") || !strings.Contains(m.sent[0], "张三") {
			t.Errorf("digest: %s", m.sent[0])
		}
		// The refused one waits a minute, then goes.
		if sent, _ := s.Send(sys, clock.Add(30*time.Second)); sent != 0 {
			t.Fatalf("retried before the backoff: %d", sent)
		}
		if sent, _ := s.Send(sys, clock.Add(2*time.Minute)); sent != 1 || len(got) != 2 {
			t.Fatalf("retry: %d sent, %d webhooks", sent, len(got))
		}
		if got[0].Assignee.Phone != "13812345678" || got[0].Task.CustomerName != "张三" || got[0].Event != "task.due" {
			t.Errorf("webhook body: %+v", got[0])
		}
		// Nothing goes out at night.
		clock = time.Date(2026, 11, 21, 22, 30, 0, 0, loc)
		if _, err := pbs.RunTasks(sys, clock); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Plan(sys, clock); n == 0 {
			t.Fatal("nothing planned for the next day")
		}
		if sent, _ := s.Send(sys, clock); sent != 0 {
			t.Errorf("%d reminders sent at 22:30", sent)
		}
	})
}

func TestBackoffGrowsAndStops(t *testing.T) {
	if notify.Backoff(0) != time.Minute || notify.Backoff(3) != 8*time.Minute || notify.Backoff(20) != 6*time.Hour {
		t.Errorf("backoff %v %v %v", notify.Backoff(0), notify.Backoff(3), notify.Backoff(20))
	}
}

func TestSurveyLinkGoesWithTheReminder(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		loc, _ := time.LoadLocation("Asia/Shanghai")
		clock := time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
		db.Now = func() time.Time { return clock }
		u := &kewei.User{Name: "wangli", DisplayName: "王丽", Role: kewei.RoleConsultant}
		if err := sqlstore.NewUserService(db).CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		c := &kewei.Customer{Name: "张三", Stage: kewei.StageCustomer, OwnerID: u.ID, Phones: []kewei.Phone{{Number: "13900001111"}}}
		if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, c); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.NewRecords(db).Holdings.Create(sys, c.ID, &kewei.Holding{Product: "车", AcquiredOn: kewei.Date{Year: 2026, Month: 11, Day: 10}}); err != nil {
			t.Fatal(err)
		}
		pbs := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc}
		if err := pbs.CreatePlaybook(sys, &kewei.Playbook{Template: playbook.TemplateDelivery, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := pbs.RunTasks(sys, clock); err != nil {
			t.Fatal(err)
		}
		var got []notify.WebhookEvent
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var ev notify.WebhookEvent
			_ = json.NewDecoder(r.Body).Decode(&ev)
			got = append(got, ev)
		}))
		defer srv.Close()
		surveys := sqlstore.NewSurveyService(db)
		s := &notify.Sender{Store: sqlstore.NewNotificationService(db), WebhookURL: srv.URL, WebhookSecret: "k", Location: loc, Surveys: surveys}
		if _, err := s.Plan(sys, clock); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Send(sys, clock); err != nil {
			t.Fatal(err)
		}
		for _, ev := range got {
			if ev.Task.StepKey != "survey" {
				continue
			}
			if ev.Survey == nil || !strings.HasPrefix(ev.Survey.Path, "/s/kws_") || ev.Survey.CustomerPhone != "13900001111" {
				t.Fatalf("the survey reminder: %+v", ev.Survey)
			}
			if _, _, err := surveys.OpenInvite(sys, strings.TrimPrefix(ev.Survey.Path, "/s/")); err != nil {
				t.Fatalf("the link sent does not open: %v", err)
			}
			return
		}
		t.Fatalf("no survey reminder among %d webhooks", len(got))
	})
}
