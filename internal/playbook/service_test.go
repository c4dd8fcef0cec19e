package playbook_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// world is a consultant in a team with a manager, and one delivered
// customer of theirs.
type world struct {
	db             *sqlstore.DB
	svc            *playbook.Service
	owner, manager int64
	ownerCtx       context.Context
	customer       *kewei.Customer
}

func mustWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	clock := time.Date(2026, 11, 20, 9, 0, 0, 0, shanghai)
	db.Now = func() time.Time { return clock }
	users := sqlstore.NewUserService(db)
	mgr := &kewei.User{Name: "boss", DisplayName: "经理", Role: kewei.RoleManager}
	if err := users.CreateUser(sys, mgr, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	team := &kewei.Team{Name: "一组", ManagerID: mgr.ID}
	if err := sqlstore.NewTeamService(db).CreateTeam(sys, team); err != nil {
		t.Fatal(err)
	}
	own := &kewei.User{Name: "wangli", DisplayName: "王丽", Role: kewei.RoleConsultant, TeamID: team.ID}
	if err := users.CreateUser(sys, own, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(sys, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, owner: own.ID, manager: mgr.ID, ownerCtx: kewei.WithActor(context.Background(), a),
		svc: &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: shanghai}}
	w.customer = &kewei.Customer{Name: "张三", Stage: kewei.StageCustomer, OwnerID: own.ID}
	if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, w.customer); err != nil {
		t.Fatal(err)
	}
	h := &kewei.Holding{Product: "途观L", Category: "car", AcquiredOn: kewei.Date{Year: 2026, Month: 11, Day: 20}}
	if err := sqlstore.NewRecords(db).Holdings.Create(sys, w.customer.ID, h); err != nil {
		t.Fatal(err)
	}
	pb := &kewei.Playbook{Template: playbook.TemplateDelivery, Enabled: true}
	if err := w.svc.CreatePlaybook(sys, pb); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) run(t *testing.T, day string) *kewei.TaskRun {
	t.Helper()
	d, _ := kewei.ParseDate(day)
	run, err := w.svc.RunTasks(sys, time.Date(d.Year, d.Month, d.Day, 6, 0, 0, 0, shanghai))
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func (w *world) tasks(t *testing.T) []*kewei.Task {
	t.Helper()
	list, err := w.svc.FindTasks(sys, kewei.TaskFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func TestDeliveryPlaybookOnBothDatabases(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		for _, day := range []string{"2026-11-20", "2026-11-21", "2026-11-22"} {
			w.run(t, day)
		}
		// The server is down for a week, then catches up; a rerun the same
		// day plans nothing more.
		w.run(t, "2026-11-30")
		if again := w.run(t, "2026-11-30"); again.Planned != 0 || again.Existing == 0 {
			t.Fatalf("a second run planned %d new tasks (%d existing)", again.Planned, again.Existing)
		}
		got := map[string]*kewei.Task{}
		for _, task := range w.tasks(t) {
			got[task.StepKey] = task
		}
		want := map[string]struct {
			due string
			who int64
		}{"call_1": {"2026-11-21 10:00", w.owner}, "thank_you_letter": {"2026-11-21 10:00", w.owner},
			"manager_call": {"2026-11-23 10:00", w.manager}, "call_3": {"2026-11-27 10:00", w.owner},
			"survey": {"2026-11-30 10:00", w.owner}}
		if len(got) != len(want) {
			t.Fatalf("tasks %v, want exactly the five delivery tasks", keys(got))
		}
		for k, v := range want {
			task := got[k]
			if task == nil || task.DueAt.In(shanghai).Format("2006-01-02 15:04") != v.due || task.AssigneeID != v.who {
				t.Errorf("%s: %+v, want due %s for user %d", k, task, v.due, v.who)
			}
		}
		// The owner sees their own tasks; completing one logs the call.
		mine, err := w.svc.FindTasks(w.ownerCtx, kewei.TaskFilter{Mine: true})
		if err != nil || len(mine.Items) != 4 {
			t.Fatalf("the owner's tasks: %v %v", mine, err)
		}
		done, err := w.svc.CompleteTask(w.ownerCtx, got["call_1"].ID, kewei.TaskCompletion{Summary: "客户很满意", Outcome: "约首保"})
		if err != nil || done.Status != kewei.TaskDone || done.InteractionID == 0 {
			t.Fatalf("complete: %+v %v", done, err)
		}
		if _, err := w.svc.CompleteTask(w.ownerCtx, got["call_1"].ID, kewei.TaskCompletion{}); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Errorf("completing twice: %v", err)
		}
		if _, err := w.svc.SkipTask(w.ownerCtx, got["call_3"].ID, " "); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Errorf("a skip without a reason: %v", err)
		}
		if s, err := w.svc.SkipTask(w.ownerCtx, got["call_3"].ID, "客户出国"); err != nil || s.Status != kewei.TaskSkipped {
			t.Errorf("skip: %+v %v", s, err)
		}
		c, _ := sqlstore.NewCustomerService(db).FindCustomerByID(sys, w.customer.ID)
		if c.LastContactAt == nil {
			t.Error("completing the call did not move the last contact")
		}
		rep, err := w.svc.FollowUp(sys, time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai), 30)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]kewei.AdherenceLine{}
		for _, l := range rep.People {
			byName[l.Name] = l
		}
		if o := byName["王丽"]; o.Due != 4 || o.Done != 1 || o.OnTime != 1 || o.Skipped != 1 || o.Share != 0.25 {
			t.Errorf("the owner's adherence: %+v", o)
		}
		if m := byName["经理"]; m.Due != 1 || m.OnTime != 0 {
			t.Errorf("the manager's adherence: %+v", m)
		}
		if len(rep.Steps) != 5 || len(rep.Teams) != 2 { // the manager belongs to no team
			t.Errorf("steps %d, teams %+v", len(rep.Steps), rep.Teams)
		}
		if len(rep.Coverage) != 1 || rep.Coverage[0].Customers != 1 || rep.Coverage[0].NotContacted != 0 {
			t.Errorf("coverage %+v: the customer was just called", rep.Coverage)
		}
		if other, _ := w.svc.FollowUp(w.ownerCtx, time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai), 30); len(other.People) != 2 {
			t.Errorf("the owner's own view: %+v", other.People)
		}
	})
}

func keys(m map[string]*kewei.Task) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestNoCallTaskWithoutPhoneConsent(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		if err := sqlstore.NewPrivacyService(db).RecordConsent(sys, w.customer.ID,
			&kewei.Consent{Channel: kewei.ChannelPhone, Granted: false, Source: "电话中要求不再来电"}); err != nil {
			t.Fatal(err)
		}
		run := w.run(t, "2026-11-28")
		for _, task := range w.tasks(t) {
			if task.Action == kewei.InteractionCall {
				t.Errorf("a call task for a customer who refused calls: %s", task.StepKey)
			}
		}
		if run.NoConsent != 3 || run.Planned != 1 {
			t.Errorf("run %+v: want the letter only, three calls left out", run)
		}
	})
}

// TestTwoProcessesPlanEachTaskOnce runs the planner from two connections
// to the same database at once.
func TestTwoProcessesPlanEachTaskOnce(t *testing.T) {
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			dsn := sqltest.MustDSN(t, driver)
			first, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer first.Close()
			w := mustWorld(t, first)
			second, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			other := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(second), Location: shanghai}
			var wg sync.WaitGroup
			total := make([]int, 2)
			for i, s := range []*playbook.Service{w.svc, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for _, day := range []string{"2026-11-21", "2026-11-25", "2026-11-28"} {
						d, _ := kewei.ParseDate(day)
						run, err := s.RunTasks(sys, time.Date(d.Year, d.Month, d.Day, 6, 0, 0, 0, shanghai))
						if err != nil {
							t.Error(err)
							return
						}
						total[i] += run.Planned
					}
				}()
			}
			wg.Wait()
			if n := len(w.tasks(t)); n != 4 || total[0]+total[1] != 4 {
				t.Fatalf("%d tasks, %d+%d planned, want 4 in all", n, total[0], total[1])
			}
		})
	}
}

func TestOverdueTasksMoveToTheManager(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		w.svc.EscalateAfter = 48 * time.Hour
		w.run(t, "2026-11-21") // the first call is due 2026-11-21 10:00
		if run := w.run(t, "2026-11-23"); run.Escalated != 0 {
			t.Fatalf("escalated %d tasks less than 48 hours overdue", run.Escalated)
		}
		run := w.run(t, "2026-11-24")
		if run.Escalated != 2 { // the first call and the letter
			t.Fatalf("escalated %d, want the 2 tasks due on the 21st", run.Escalated)
		}
		for _, task := range w.tasks(t) {
			if task.StepKey == "call_1" && (task.AssigneeID != w.manager || task.EscalatedAt.IsZero()) {
				t.Errorf("the overdue call: %+v, want it with the manager", task)
			}
		}
		if again := w.run(t, "2026-11-25"); again.Escalated != 0 {
			t.Errorf("escalated again: %d", again.Escalated)
		}
	})
}

func TestOfficialHolidayDateWins(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		pb := &kewei.Playbook{Name: "节日", Enabled: true, Steps: []kewei.PlaybookStep{{Key: "nd", Trigger: kewei.TriggerHoliday,
			Holiday: playbook.NationalDay, OffsetDays: -2, Action: kewei.InteractionLetter}}}
		if err := w.svc.CreatePlaybook(sys, pb); err != nil {
			t.Fatal(err)
		}
		// Say the official day moved to October 3rd that year.
		if err := w.svc.SetHolidayDate(w.ownerCtx, 2027, playbook.NationalDay, kewei.Date{Year: 2027, Month: 10, Day: 3}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant set a holiday: %v", err)
		}
		if err := w.svc.SetHolidayDate(sys, 2027, playbook.NationalDay, kewei.Date{Year: 2027, Month: 10, Day: 3}); err != nil {
			t.Fatal(err)
		}
		// Without the official date the letter would be due 09-29 for 10-01.
		w.run(t, "2027-09-28")
		for _, task := range w.tasks(t) {
			if task.StepKey == "nd" {
				t.Fatalf("planned on 09-28 though the holiday moved to 10-03: %+v", task)
			}
		}
		w.run(t, "2027-10-01")
		found := false
		for _, task := range w.tasks(t) {
			if task.StepKey == "nd" && task.Anchor.String() == "2027-10-03" && task.DueAt.In(shanghai).Format(time.DateOnly) == "2027-10-01" {
				found = true
			}
		}
		if !found {
			t.Errorf("no letter due 2027-10-01 for the holiday on 10-03: %v", w.tasks(t))
		}
	})
}

func TestPurchaseFollowUpOnBothDatabases(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		at := time.Date(2026, 11, 25, 15, 0, 0, 0, shanghai)
		if err := sqlstore.NewRecords(db).Transactions.Create(sys, w.customer.ID, &kewei.Transaction{OccurredAt: at, Amount: 50000}); err != nil {
			t.Fatal(err)
		}
		pb := &kewei.Playbook{Name: "购后回访", Enabled: true, Steps: []kewei.PlaybookStep{{Key: "after_purchase", Trigger: kewei.TriggerDate,
			Date: kewei.DatePurchase, OffsetDays: 1, Action: kewei.InteractionCall}}}
		if err := w.svc.CreatePlaybook(sys, pb); err != nil {
			t.Fatal(err)
		}
		w.run(t, "2026-11-26")
		for _, task := range w.tasks(t) {
			if task.StepKey == "after_purchase" && task.Anchor.String() == "2026-11-25" {
				return
			}
		}
		t.Fatalf("no follow-up of the purchase on 2026-11-25: %v", w.tasks(t))
	})
}

func TestServiceFollowUpCall(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		sv := &kewei.ServiceRecord{Kind: kewei.ServiceRepair, Summary: "更换刹车片", PerformedAt: time.Date(2026, 11, 21, 15, 0, 0, 0, shanghai)}
		if err := sqlstore.NewRecords(db).Services.Create(sys, w.customer.ID, sv); err != nil {
			t.Fatal(err)
		}
		w.run(t, "2026-11-22")
		for _, task := range w.tasks(t) {
			if task.StepKey == "after_service" {
				if task.Anchor.String() != "2026-11-21" || task.AssigneeRole != kewei.AssignService {
					t.Fatalf("the after-service call: %+v", task)
				}
				return
			}
		}
		t.Fatal("no follow-up call after the repair")
	})
}

func TestCallAfterAComplaintCloses(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		pb := &kewei.Playbook{Name: "投诉结案回访", Enabled: true, Steps: []kewei.PlaybookStep{{Key: "after_complaint", Trigger: kewei.TriggerEvent,
			Event: kewei.EventComplaintClosed, OffsetDays: 3, Action: kewei.InteractionCall, Assignee: kewei.AssignManager}}}
		if err := w.svc.CreatePlaybook(sys, pb); err != nil {
			t.Fatal(err)
		}
		cs := sqlstore.NewComplaintService(db)
		k := &kewei.Complaint{CustomerID: w.customer.ID, Channel: "phone", Category: "服务", Severity: kewei.SeverityLow, Words: "态度不好"}
		if err := cs.CreateComplaint(sys, k); err != nil {
			t.Fatal(err)
		}
		for _, st := range []kewei.ComplaintStep{{Action: kewei.ActAcknowledge}, {Action: kewei.ActResolve}, {Action: kewei.ActConfirm, Confirmation: "好"},
			{Action: kewei.ActClose, RootCause: "服务态度", CorrectiveAction: "培训"}} {
			got, err := cs.ActOnComplaint(sys, k.ID, kewei.ComplaintStep{Action: st.Action, Confirmation: st.Confirmation, RootCause: st.RootCause,
				CorrectiveAction: st.CorrectiveAction, Version: k.Version})
			if err != nil {
				t.Fatalf("%s: %v", st.Action, err)
			}
			k = got
		}
		w.run(t, "2026-11-22") // closed on 2026-11-20 (the world's clock): the call is due on the 23rd
		for _, task := range w.tasks(t) {
			if task.StepKey == "after_complaint" {
				if task.AssigneeID != w.manager || task.Anchor.String() != "2026-11-20" {
					t.Fatalf("the call after the complaint: %+v", task)
				}
				return
			}
		}
		t.Fatal("no call after the complaint closed")
	})
}

func TestRenewalCallBeforeAContractEnds(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		opp := sqlstore.NewOpportunityService(db)
		for _, k := range []*kewei.Contract{
			{CustomerID: w.customer.ID, Number: "HT-1", Title: "延保", SignedOn: kewei.Date{Year: 2025, Month: 12, Day: 1},
				EndsOn: kewei.Date{Year: 2026, Month: 12, Day: 1}},
			{CustomerID: w.customer.ID, Number: "HT-2", Title: "已终止", SignedOn: kewei.Date{Year: 2025, Month: 12, Day: 2},
				EndsOn: kewei.Date{Year: 2026, Month: 12, Day: 2}, Status: kewei.ContractTerminated},
		} {
			if err := opp.CreateContract(sys, k); err != nil {
				t.Fatal(err)
			}
		}
		pb := &kewei.Playbook{Name: "续约提醒", Enabled: true, Steps: []kewei.PlaybookStep{{Key: "renewal", Trigger: kewei.TriggerDate,
			Date: kewei.DateContractEnd, OffsetDays: -7, Action: kewei.InteractionCall}}}
		if err := w.svc.CreatePlaybook(sys, pb); err != nil {
			t.Fatal(err)
		}
		w.run(t, "2026-11-24")
		var anchors []string
		for _, task := range w.tasks(t) {
			if task.StepKey == "renewal" {
				anchors = append(anchors, task.Anchor.String())
			}
		}
		if len(anchors) != 1 || anchors[0] != "2026-12-01" {
			t.Fatalf("renewal calls counted from %v, want only the executing contract's end 2026-12-01", anchors)
		}
	})
}
