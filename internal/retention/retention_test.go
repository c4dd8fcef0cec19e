package retention_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/retention"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

// mustTeam makes a team of a manager and two consultants and returns the
// actors of the manager and of a consultant, and the consultants' ids.
func mustTeam(t *testing.T, db *sqlstore.DB) (manager, consultant context.Context, owners []int64) {
	t.Helper()
	users, teams := sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
	boss := &kewei.User{Name: "boss", DisplayName: "经理", Role: kewei.RoleManager}
	if err := users.CreateUser(sys, boss, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	team := &kewei.Team{Name: "一组", ManagerID: boss.ID}
	if err := teams.CreateTeam(sys, team); err != nil {
		t.Fatal(err)
	}
	var p kewei.Patch
	p.Version = boss.Version
	p.Set("team_id", team.ID)
	if _, err := users.UpdateUser(sys, boss.ID, p); err != nil {
		t.Fatal(err)
	}
	ids := []int64{boss.ID}
	for _, name := range []string{"c1", "c2"} {
		u := &kewei.User{Name: name, DisplayName: name, Role: kewei.RoleConsultant, TeamID: team.ID}
		if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		owners = append(owners, u.ID)
		ids = append(ids, u.ID)
	}
	// Actors are read once the team is whole.
	var ctxs []context.Context
	for _, id := range ids {
		a, err := db.ActorFor(sys, id)
		if err != nil {
			t.Fatal(err)
		}
		ctxs = append(ctxs, kewei.WithActor(context.Background(), a))
	}
	return ctxs[0], ctxs[1], owners
}

// TestRetentionEndToEnd trains on the demo data as of a cutoff, scores,
// lists the risks with their reasons and asks for retention tasks twice:
// they are planned once.
func TestRetentionEndToEnd(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		today := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return today }
		defer func() { db.Now = time.Now }()
		manager, consultant, owners := mustTeam(t, db)
		bulk := db.StartSmallBulk(sys)
		err := demo.Generate(sys, demo.Options{Customers: 2500, Seed: 11, AsOf: today, Owners: owners, NewID: db.NewID},
			func(b *kewei.Batch) error { return bulk.Load(sys, b) })
		if err != nil {
			t.Fatal(err)
		}
		if err := bulk.Finish(sys); err != nil {
			t.Fatal(err)
		}
		pb := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: time.UTC}
		svc := &retention.Service{Store: sqlstore.NewChurnService(db), Planner: pb, Location: time.UTC,
			Now: func() time.Time { return today }}
		if _, err := svc.TrainChurn(manager, kewei.ChurnTrainRequest{}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a manager trained a model: %v", err)
		}
		if _, err := svc.TrainChurn(sys, kewei.ChurnTrainRequest{AsOf: kewei.DateOf(today.AddDate(0, -1, 0))}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Errorf("a cutoff whose horizon has not passed: %v", err)
		}
		m, err := svc.TrainChurn(sys, kewei.ChurnTrainRequest{HorizonDays: 180})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("trained on %d customers, %d lost: ROC AUC %.3f, PR AUC %.3f, baseline %.3f", m.Rows, m.Left, m.ROCAUC, m.PRAUC, m.Card.Baseline)
		if m.Rows < 1000 || m.Left == 0 || m.ROCAUC < 0.6 || len(m.Card.Features) == 0 || len(m.Card.Calibration) != 10 {
			t.Fatalf("model %+v", m)
		}
		risks, err := svc.FindChurnRisks(manager, kewei.ChurnFilter{Limit: 10})
		if err != nil || len(risks) != 10 {
			t.Fatalf("%d risks: %v", len(risks), err)
		}
		for i, r := range risks {
			if i > 0 && r.Risk > risks[i-1].Risk {
				t.Errorf("risk list out of order at %d", i)
			}
			if len(r.Reasons) == 0 || r.Reasons[0].Contribution <= 0 {
				t.Errorf("%s has no reasons: %+v", r.CustomerName, r)
			}
		}
		// A consultant sees only their own customers.
		mine, err := svc.FindChurnRisks(consultant, kewei.ChurnFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range mine {
			if r.OwnerID != owners[0] {
				t.Fatalf("a consultant sees %s of owner %d", r.CustomerName, r.OwnerID)
			}
		}
		if _, err := svc.RequestRetention(consultant, kewei.RetentionRequest{Customers: []int64{mine[0].CustomerID}}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a consultant asked for retention: %v", err)
		}
		var ids []int64
		for _, r := range risks[:5] {
			ids = append(ids, r.CustomerID)
		}
		res, err := svc.RequestRetention(manager, kewei.RetentionRequest{Customers: ids})
		if err != nil || res.Requested != 5 || res.Tasks != 5 || res.PlaybookID == 0 {
			t.Fatalf("first request %+v %v", res, err)
		}
		res, err = svc.RequestRetention(manager, kewei.RetentionRequest{Customers: ids})
		if err != nil || res.Requested != 0 || res.Already != 5 || res.Tasks != 0 {
			t.Fatalf("second request %+v %v", res, err)
		}
		// The daily run plans nothing more for them today.
		if run, err := pb.RunTasks(sys, today); err != nil {
			t.Fatal(err)
		} else if run.Planned != 0 {
			var got []int64
			tasks, _ := pb.FindTasks(sys, kewei.TaskFilter{Limit: 500})
			for _, tk := range tasks.Items {
				if tk.StepKey == "retention_call" {
					got = append(got, tk.CustomerID)
				}
			}
			slices.Sort(got)
			if len(got) != 5 {
				t.Errorf("retention calls for %v, want the 5 customers once", got)
			}
		}
		tasks, err := pb.FindTasks(sys, kewei.TaskFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		for _, tk := range tasks.Items {
			if tk.StepKey == "retention_call" {
				calls++
				if !slices.Contains(ids, tk.CustomerID) || !slices.Contains(owners, tk.AssigneeID) {
					t.Errorf("retention task %+v", tk)
				}
			}
		}
		if calls != 5 {
			t.Errorf("%d retention calls, want 5", calls)
		}
		// An earlier model can be made active again.
		again, err := svc.TrainChurn(sys, kewei.ChurnTrainRequest{HorizonDays: 120})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ActivateChurnModel(sys, m.ID); err != nil {
			t.Fatal(err)
		}
		models, err := svc.FindChurnModels(manager)
		if err != nil || len(models) != 2 || models[0].ID != again.ID || models[0].Active || !models[1].Active {
			t.Fatalf("models %+v %v", models, err)
		}
		one, err := svc.CustomerChurn(manager, ids[0])
		if err != nil || one == nil || len(one.Reasons) == 0 {
			t.Fatalf("one customer's churn %+v %v", one, err)
		}
	})
}
