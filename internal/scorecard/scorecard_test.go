package scorecard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/scorecard"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/wire"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

// TestScorecardAgainstHandCounts builds a month of work for two
// consultants of one team and checks every number against a hand count.
func TestScorecardAgainstHandCounts(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		svc := wire.Services(db, time.Hour, time.UTC)
		users := svc.Users
		boss := &kewei.User{Name: "boss", DisplayName: "经理", Role: kewei.RoleManager}
		if err := users.CreateUser(sys, boss, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		team := &kewei.Team{Name: "一组", ManagerID: boss.ID}
		other := &kewei.Team{Name: "二组"}
		for _, tm := range []*kewei.Team{team, other} {
			if err := svc.Teams.CreateTeam(sys, tm); err != nil {
				t.Fatal(err)
			}
		}
		wl := &kewei.User{Name: "wl", DisplayName: "王丽", Role: kewei.RoleConsultant, TeamID: team.ID}
		zq := &kewei.User{Name: "zq", DisplayName: "赵强", Role: kewei.RoleConsultant, TeamID: team.ID}
		ly := &kewei.User{Name: "ly", DisplayName: "刘洋", Role: kewei.RoleConsultant, TeamID: other.ID}
		for _, u := range []*kewei.User{wl, zq, ly} {
			if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
		}
		as := func(u *kewei.User) context.Context {
			a, err := db.ActorFor(sys, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return kewei.WithActor(context.Background(), a)
		}
		// November 2026: 王丽 gains 3 customers, 赵强 1; 刘洋 1 in 二组.
		db.Now = func() time.Time { return time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC) }
		var wlCustomers []*kewei.Customer
		for i, owner := range []*kewei.User{wl, wl, wl, zq, ly} {
			c := &kewei.Customer{Name: "客户" + string(rune('甲'+i)), OwnerID: owner.ID}
			if err := svc.Customers.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			if owner == wl {
				wlCustomers = append(wlCustomers, c)
			}
		}
		// 王丽 plans two visits and reports both; the manager approves one.
		for i := range 2 {
			v := &kewei.Visit{CustomerID: wlCustomers[i].ID, PlannedAt: db.Now(), Purpose: "回访"}
			if err := svc.Visits.PlanVisit(as(wl), v); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Visits.ReportVisit(as(wl), v.ID, &kewei.Visit{DecisionMaker: "本人", Needs: "保养", Version: 1}); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := svc.Visits.ReviewVisit(as(boss), v.ID, kewei.VisitReview{Approve: true, Version: 2}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Tasks: 王丽 has three due on 11-12, does one that day and one on
		// 11-20 (late); the third stays open.
		day := kewei.Date{Year: 2026, Month: 11, Day: 12}
		var planned []kewei.PlannedTask
		for i, c := range wlCustomers {
			planned = append(planned, kewei.PlannedTask{CustomerID: c.ID, PlaybookID: 1, StepKey: "call" + string(rune('0'+i)), Anchor: day,
				Due: day, AssigneeID: wl.ID, Role: kewei.AssignOwner, Action: kewei.InteractionCall})
		}
		if _, err := svc.Playbooks.InsertTasks(sys, planned, func(d kewei.Date) time.Time { return d.Time(time.UTC).Add(9 * time.Hour) }); err != nil {
			t.Fatal(err)
		}
		tasks, err := svc.Playbooks.FindTasks(sys, kewei.TaskFilter{Limit: 10})
		if err != nil || len(tasks.Items) != 3 {
			t.Fatalf("tasks: %v %v", tasks, err)
		}
		for i, at := range []time.Time{time.Date(2026, 11, 12, 15, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)} {
			db.Now = func() time.Time { return at }
			if _, err := svc.Playbooks.CompleteTask(as(wl), tasks.Items[i].ID, kewei.TaskCompletion{Summary: "已回访"}); err != nil {
				t.Fatal(err)
			}
		}
		// A referral card of 王丽's brings a prospect of 赵强's.
		db.Now = func() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) }
		card, err := svc.Referrals.IssueCard(as(wl), wlCustomers[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		friend := &kewei.Customer{Name: "朋友", OwnerID: zq.ID}
		if err := svc.Customers.CreateCustomer(sys, friend); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Referrals.LinkReferral(sys, friend.ID, card.Number); err != nil {
			t.Fatal(err)
		}
		// A customer of 王丽's is lost in November; one of October's work does not count.
		var p kewei.Patch
		p.Version = wlCustomers[2].Version
		p.Set("stage", kewei.StageLost)
		if _, err := svc.Customers.UpdateCustomer(sys, wlCustomers[2].ID, p); err != nil {
			t.Fatal(err)
		}
		// Two complaints on 王丽's customers, received Monday 11-02: one closed
		// that morning (within SLA), a critical one resolved on 11-27 (late).
		causes, err := svc.Complaints.RootCauses(sys)
		if err != nil {
			t.Fatal(err)
		}
		for i, sev := range []kewei.Severity{kewei.SeverityLow, kewei.SeverityCritical} {
			db.Now = func() time.Time { return time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC) }
			k := &kewei.Complaint{CustomerID: wlCustomers[i].ID, Channel: "phone", Category: "服务", Severity: sev, Words: "等太久"}
			if err := svc.Complaints.CreateComplaint(sys, k); err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				db.Now = func() time.Time { return time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC) }
			}
			for _, st := range []kewei.ComplaintStep{{Action: kewei.ActAcknowledge}, {Action: kewei.ActInvestigate}, {Action: kewei.ActPropose, Note: "致歉"},
				{Action: kewei.ActResolve}, {Action: kewei.ActConfirm, Confirmation: "满意"},
				{Action: kewei.ActClose, RootCause: causes[0], CorrectiveAction: "加派人手"}} {
				cur, _, err := svc.Complaints.FindComplaint(sys, k.ID)
				if err != nil {
					t.Fatal(err)
				}
				st.Version = cur.Version
				if _, err := svc.Complaints.ActOnComplaint(as(wl), k.ID, st); err != nil {
					t.Fatalf("%s: %v", st.Action, err)
				}
			}
		}
		db.Now = func() time.Time { return time.Date(2026, 10, 31, 9, 0, 0, 0, time.UTC) }
		if err := svc.Customers.CreateCustomer(sys, &kewei.Customer{Name: "十月客户", OwnerID: wl.ID}); err != nil {
			t.Fatal(err)
		}
		db.Now = time.Now

		sc := &scorecard.Service{Counter: sqlstore.NewScoreCounter(db), Complaints: svc.Complaints, Users: users, Teams: svc.Teams, Location: time.UTC}
		q := kewei.ScorecardQuery{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
		got, err := sc.Scorecard(as(boss), q)
		if err != nil {
			t.Fatal(err)
		}
		// The manager's own line (no team) comes first, then the team's people.
		if len(got.People) != 3 || got.People[0].Name != "经理" || got.People[1].Name != "王丽" || got.People[2].Name != "赵强" {
			t.Fatalf("the manager's people: %+v %+v %+v", got.People[0], got.People[1], got.People[2])
		}
		w, z := got.People[1], got.People[2]
		if w.TasksDue != 3 || w.TasksOnTime != 1 || w.VisitsMade != 2 || w.VisitsApproved != 1 || w.Referrals != 1 || w.Gained != 3 || w.Lost != 1 ||
			w.ComplaintsClosed != 2 || w.ComplaintsWithinSLA != 1 || w.WithinSLARate != 0.5 {
			t.Errorf("王丽: %+v", w)
		}
		if z.Gained != 2 || z.TasksDue != 0 || z.Referrals != 0 {
			t.Errorf("赵强: %+v", z)
		}
		if len(got.Teams) != 2 || got.Teams[1].Name != "一组" || got.Teams[1].Gained != 5 || got.Teams[1].VisitsMade != 2 {
			t.Errorf("the team: %+v", got.Teams)
		}
		if mine, err := sc.Scorecard(as(zq), q); err != nil || len(mine.People) != 1 || mine.People[0].Name != "赵强" {
			t.Errorf("a consultant sees only their own line: %+v %v", mine, err)
		}
		if all, err := sc.Scorecard(sys, kewei.ScorecardQuery{From: q.From, To: q.To, Team: other.ID}); err != nil || len(all.People) != 1 ||
			all.People[0].Name != "刘洋" {
			t.Errorf("the administrator's view of 二组: %+v %v", all, err)
		}
		if _, err := sc.Scorecard(sys, kewei.ScorecardQuery{From: q.To, To: q.From}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Errorf("a backwards period: %v", err)
		}
		var b strings.Builder
		if err := scorecard.WriteCSV(&b, got); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != 6 || !strings.HasPrefix(lines[2], "person,一组,王丽,3,1,0.333,2,1,") {
			t.Errorf("csv:\n%s", b.String())
		}
	})
}
