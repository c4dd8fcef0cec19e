package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestHandoverMovesCustomersAndTasks(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		users := sqlstore.NewUserService(db)
		teams := sqlstore.NewTeamService(db)
		boss := &kewei.User{Name: "boss", DisplayName: "经理", Role: kewei.RoleManager}
		if err := users.CreateUser(sys, boss, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		team := &kewei.Team{Name: "一组", ManagerID: boss.ID}
		if err := teams.CreateTeam(sys, team); err != nil {
			t.Fatal(err)
		}
		leaving := &kewei.User{Name: "leaving", DisplayName: "要走的", Role: kewei.RoleConsultant, TeamID: team.ID}
		staying := &kewei.User{Name: "staying", DisplayName: "留下的", Role: kewei.RoleConsultant, TeamID: team.ID}
		outsider := &kewei.User{Name: "outsider", DisplayName: "外组", Role: kewei.RoleConsultant}
		for _, u := range []*kewei.User{leaving, staying, outsider} {
			if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
		}
		actor := func(u *kewei.User) (a *kewei.Actor) {
			a, err := db.ActorFor(sys, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		var ids []int64
		for _, name := range []string{"欧阳娜娜", "李四", "王五"} {
			c := mustCustomer(t, sys, db, &kewei.Customer{Name: name, OwnerID: leaving.ID})
			ids = append(ids, c.ID)
		}
		today := kewei.DateOf(db.Now())
		if _, err := sqlstore.NewPlaybookService(db).InsertTasks(sys, []kewei.PlannedTask{{CustomerID: ids[0], PlaybookID: 1, StepKey: "call",
			Anchor: today, Due: today, AssigneeID: leaving.ID, Role: kewei.AssignOwner, Action: kewei.InteractionCall}},
			func(kewei.Date) time.Time { return db.Now() }); err != nil {
			t.Fatal(err)
		}
		s := sqlstore.NewHandoverService(db)
		ctxOf := func(u *kewei.User) context.Context { return kewei.WithActor(sys, actor(u)) }
		if _, err := s.HandOver(ctxOf(staying), kewei.HandoverRequest{FromUserID: leaving.ID, ToUserID: staying.ID}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant handed customers over: %v", err)
		}
		if _, err := s.HandOver(ctxOf(boss), kewei.HandoverRequest{FromUserID: leaving.ID, ToUserID: outsider.ID}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a manager handed customers outside the team: %v", err)
		}
		h, err := s.HandOver(ctxOf(boss), kewei.HandoverRequest{FromUserID: leaving.ID, ToUserID: staying.ID})
		if err != nil || h.Customers != 3 || h.Tasks != 1 {
			t.Fatalf("handover: %+v %v", h, err)
		}
		// The new owner finds them by name within their own scope, the old
		// one no longer does.
		cs := sqlstore.NewCustomerService(db)
		if l, err := cs.FindCustomers(ctxOf(staying), kewei.CustomerFilter{Query: "oynn"}); err != nil || l.Total != 1 {
			t.Fatalf("the new owner's search: %+v %v", l, err)
		}
		if l, _ := cs.FindCustomers(ctxOf(leaving), kewei.CustomerFilter{}); l.Total != 0 {
			t.Fatalf("the old owner still sees %d customers", l.Total)
		}
		tasks, _ := sqlstore.NewPlaybookService(db).FindTasks(ctxOf(staying), kewei.TaskFilter{Mine: true})
		if len(tasks.Items) != 1 {
			t.Fatalf("the new owner's tasks: %d", len(tasks.Items))
		}
	})
}
