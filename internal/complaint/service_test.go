package complaint_test

import (
	"context"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/complaint"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// world: a consultant in a team whose manager's team has a manager above.
type world struct {
	svc                      *complaint.Service
	clock                    *time.Time
	owner, manager, director int64
	ownerCtx                 context.Context
	customer                 *kewei.Customer
}

func mustWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	clock := at("2026-09-30 17:00") // a Wednesday, before the National Day holidays
	db.Now = func() time.Time { return clock }
	users, teams := sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
	mk := func(name string, role kewei.Role, team int64) *kewei.User {
		u := &kewei.User{Name: name, DisplayName: name, Role: role, TeamID: team}
		if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	director := mk("director", kewei.RoleManager, 0)
	region := &kewei.Team{Name: "华东", ManagerID: director.ID}
	if err := teams.CreateTeam(sys, region); err != nil {
		t.Fatal(err)
	}
	manager := mk("manager", kewei.RoleManager, 0)
	team := &kewei.Team{Name: "一组", ManagerID: manager.ID, ParentID: region.ID}
	if err := teams.CreateTeam(sys, team); err != nil {
		t.Fatal(err)
	}
	owner := mk("owner", kewei.RoleConsultant, team.ID)
	a, err := db.ActorFor(sys, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{clock: &clock, owner: owner.ID, manager: manager.ID, director: director.ID, ownerCtx: kewei.WithActor(context.Background(), a)}
	w.svc = &complaint.Service{ComplaintStore: sqlstore.NewComplaintService(db), Location: shanghai, Now: func() time.Time { return clock }}
	w.customer = &kewei.Customer{Name: "张三", OwnerID: owner.ID}
	if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, w.customer); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) act(t *testing.T, k *kewei.Complaint, st kewei.ComplaintStep) *kewei.Complaint {
	t.Helper()
	st.Version = k.Version
	got, err := w.svc.ActOnComplaint(w.ownerCtx, k.ID, st)
	if err != nil {
		t.Fatalf("%s: %v", st.Action, err)
	}
	return got
}

func TestComplaintLifecycleAndSLAAcrossAHoliday(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		k := &kewei.Complaint{CustomerID: w.customer.ID, Channel: "phone", Category: "交付", Severity: kewei.SeverityHigh, Words: "车漆有划痕"}
		if err := w.svc.CreateComplaint(w.ownerCtx, k); err != nil {
			t.Fatal(err)
		}
		k, _, err := w.svc.FindComplaint(w.ownerCtx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		// High: respond within 2 working hours. Received Wednesday 17:00;
		// Oct 1–3 are holidays and Oct 4 a Sunday: due Monday Oct 5, 10:00.
		if got := k.ResponseDue.In(shanghai).Format("2006-01-02 15:04"); got != "2026-10-05 10:00" {
			t.Fatalf("response due %s, want 2026-10-05 10:00", got)
		}
		*w.clock = at("2026-10-05 09:30")
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActAcknowledge, Note: "已致电客户"})
		if k.ResponseLate {
			t.Error("acknowledged in time but late")
		}
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActInvestigate})
		// Waiting on the customer for a whole working day moves the
		// resolution due date by a day.
		before := k.ResolutionDue
		*w.clock = at("2026-10-05 10:00")
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActWait, Note: "等客户提供照片"})
		*w.clock = at("2026-10-06 10:00")
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActResume})
		if got := w.svc.WorkingTime(before, k.ResolutionDue); got != 9*time.Hour {
			t.Errorf("the pause moved the resolution by %v of working time, want a day (9h)", got)
		}
		if _, err := w.svc.ActOnComplaint(w.ownerCtx, k.ID, kewei.ComplaintStep{Action: kewei.ActClose, Version: k.Version}); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("closed before the customer confirmed: %v", err)
		}
		if _, err := w.svc.ActOnComplaint(w.ownerCtx, k.ID, kewei.ComplaintStep{Action: kewei.ActPropose, Version: k.Version}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a proposal without a solution: %v", err)
		}
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActPropose, Note: "免费补漆"})
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActResolve})
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActConfirm, Confirmation: "客户满意"})
		if _, err := w.svc.ActOnComplaint(w.ownerCtx, k.ID, kewei.ComplaintStep{Action: kewei.ActClose, RootCause: "天气", CorrectiveAction: "x", Version: k.Version}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a root cause outside the taxonomy: %v", err)
		}
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActClose, RootCause: "交付延误", CorrectiveAction: "交车前增加漆面检查"})
		if k.Status != kewei.ComplaintClosed || k.ResolutionLate {
			t.Fatalf("closed: %+v", k)
		}
		_, events, _ := w.svc.FindComplaint(w.ownerCtx, k.ID)
		if len(events) != 9 {
			t.Errorf("%d history lines, want 9", len(events))
		}
		k = w.act(t, k, kewei.ComplaintStep{Action: kewei.ActReopen, Note: "划痕复现"})
		if k.Status != kewei.ComplaintInvestigating || !k.ClosedAt.IsZero() {
			t.Errorf("reopened: %+v", k)
		}
	})
}

func TestTwoLevelEscalation(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		*w.clock = at("2026-11-23 10:00") // a Monday
		k := &kewei.Complaint{CustomerID: w.customer.ID, Channel: "store", Category: "服务", Severity: kewei.SeverityCritical, Words: "等了两小时没人接待"}
		if err := w.svc.CreateComplaint(w.ownerCtx, k); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.EscalateComplaints(sys, at("2026-11-23 10:30")); n != 0 {
			t.Fatalf("escalated %d within the response time", n)
		}
		// No response within the hour: the owner's manager takes it.
		if n, err := w.svc.EscalateComplaints(sys, at("2026-11-23 11:30")); err != nil || n != 1 {
			t.Fatalf("first escalation: %d %v", n, err)
		}
		got, _, _ := w.svc.FindComplaint(sys, k.ID)
		if got.AssigneeID != w.manager || got.EscalationLevel != 1 {
			t.Fatalf("after the response clock: %+v", got)
		}
		if n, _ := w.svc.EscalateComplaints(sys, at("2026-11-23 12:00")); n != 0 {
			t.Fatalf("escalated again for the same clock: %d", n)
		}
		// Not resolved in 9 working hours (Tuesday 10:00): the next level.
		if n, _ := w.svc.EscalateComplaints(sys, at("2026-11-24 10:30")); n != 1 {
			t.Fatal("no second escalation")
		}
		got, _, _ = w.svc.FindComplaint(sys, k.ID)
		if got.AssigneeID != w.director || got.EscalationLevel != 2 {
			t.Fatalf("after the resolution clock: %+v", got)
		}
		if _, err := w.svc.EscalateComplaints(w.ownerCtx, at("2026-11-24 11:00")); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a consultant ran the escalation: %v", err)
		}
	})
}

func TestServiceReportAgainstHandCounts(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		w.svc.Surveys, w.svc.Users, w.svc.Teams = sqlstore.NewSurveyService(db), sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
		*w.clock = at("2026-11-23 10:00") // Monday
		other := &kewei.Customer{Name: "李四", OwnerID: w.owner}
		if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, other); err != nil {
			t.Fatal(err)
		}
		mk := func(c *kewei.Customer, cat string, sev kewei.Severity) *kewei.Complaint {
			k := &kewei.Complaint{CustomerID: c.ID, Channel: "phone", Category: cat, Severity: sev, Words: "不满"}
			if err := w.svc.CreateComplaint(w.ownerCtx, k); err != nil {
				t.Fatal(err)
			}
			return k
		}
		a, b := mk(w.customer, "交付", kewei.SeverityHigh), mk(w.customer, "服务", kewei.SeverityLow)
		mk(other, "交付", kewei.SeverityMedium)
		// a: resolved in 3 working hours (within 18); b: resolved after 50 (late of 45).
		*w.clock = at("2026-11-23 13:00")
		a = w.act(t, a, kewei.ComplaintStep{Action: kewei.ActAcknowledge})
		w.act(t, a, kewei.ComplaintStep{Action: kewei.ActResolve})
		*w.clock = at("2026-11-30 15:00") // Monday a week later: 5 days × 9h + 5h = 50h
		b = w.act(t, b, kewei.ComplaintStep{Action: kewei.ActAcknowledge})
		w.act(t, b, kewei.ComplaintStep{Action: kewei.ActResolve})
		// 张三 bought again after complaining; 李四 did not.
		if err := sqlstore.NewRecords(db).Transactions.Create(sys, w.customer.ID, &kewei.Transaction{OccurredAt: at("2026-11-29 10:00"), Amount: 100}); err != nil {
			t.Fatal(err)
		}
		surveys := sqlstore.NewSurveyService(db)
		for _, v := range []struct{ nps, csat, exp, perf int }{{10, 5, 5, 7}, {5, 2, 6, 3}} {
			inv, err := surveys.InviteToSurvey(w.ownerCtx, w.customer.ID, 1, 7)
			if err != nil {
				t.Fatal(err)
			}
			var ans []kewei.SurveyAnswer
			for _, k := range []string{"reception", "expertise", "delivery", "after_sales"} {
				ans = append(ans, kewei.SurveyAnswer{Key: k, Expectation: v.exp, Performance: v.perf})
			}
			if err := surveys.AnswerInvite(sys, inv.Token, &kewei.SurveyResponse{NPS: v.nps, CSAT: v.csat, Answers: ans}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := w.svc.ServiceReport(w.ownerCtx, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Complaints != 3 || r.Resolved != 2 || r.RepeatCustomers != 1 || r.WithinSLA != 0.5 || r.MeanHoursToResolve != 26.5 {
			t.Errorf("complaints %d, resolved %d, repeat %d, within SLA %.2f, mean hours %.1f; want 3, 2, 1, 0.5, 26.5",
				r.Complaints, r.Resolved, r.RepeatCustomers, r.WithinSLA, r.MeanHoursToResolve)
		}
		if len(r.ByCategory) != 2 || r.ByCategory[0] != (kewei.CountLine{Label: "交付", Count: 2}) {
			t.Errorf("by category %+v", r.ByCategory)
		}
		if r.Complainants.Customers != 2 || r.Complainants.BoughtAgain != 0.5 {
			t.Errorf("complainants %+v, want 2 of whom half bought again", r.Complainants)
		}
		// NPS: one promoter, one detractor → 0; CSAT (5+2)/2; item gap (2 − 3)/2.
		if r.Responses != 2 || r.NPS != 0 || r.CSAT != 3.5 || len(r.Items) != 4 || r.Items[0].Gap != -0.5 {
			t.Errorf("responses %d, NPS %.1f, CSAT %.2f, items %+v", r.Responses, r.NPS, r.CSAT, r.Items)
		}
		if len(r.Consultants) != 1 || r.Consultants[0].Name != "owner" || r.Consultants[0].Responses != 2 {
			t.Errorf("consultants %+v", r.Consultants)
		}
	})
}
