package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestVisitApprovalFlow(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		users, teams := sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
		boss := &kewei.User{Name: "boss", DisplayName: "经理", Role: kewei.RoleManager}
		if err := users.CreateUser(sys, boss, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		team := &kewei.Team{Name: "一组", ManagerID: boss.ID}
		if err := teams.CreateTeam(sys, team); err != nil {
			t.Fatal(err)
		}
		wl := &kewei.User{Name: "wl", DisplayName: "王丽", Role: kewei.RoleConsultant, TeamID: team.ID}
		zq := &kewei.User{Name: "zq", DisplayName: "赵强", Role: kewei.RoleConsultant, TeamID: team.ID}
		for _, u := range []*kewei.User{wl, zq} {
			if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
		}
		as := func(u *kewei.User) context.Context {
			a, err := db.ActorFor(sys, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return kewei.WithActor(sys, a)
		}
		c := mustCustomer(t, as(wl), db, &kewei.Customer{Name: "大华公司", Kind: kewei.KindCompany})
		s := sqlstore.NewVisitService(db)
		v := &kewei.Visit{CustomerID: c.ID, PlannedAt: time.Now().Add(24 * time.Hour), Purpose: "介绍新车型", Checklist: []string{"brochure", "gift"}}
		if err := s.PlanVisit(as(wl), &kewei.Visit{CustomerID: c.ID, PlannedAt: v.PlannedAt, Purpose: "x", Checklist: []string{"rocket"}}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("an unknown checklist item: %v", err)
		}
		if err := s.PlanVisit(as(wl), v); err != nil {
			t.Fatal(err)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		if _, err := s.Attach(as(zq), v.ID, "名片.png", png); kewei.ErrorCode(err) != kewei.EFORBIDDEN && kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Fatalf("another consultant attached a file: %v", err)
		}
		if _, err := s.Attach(as(wl), v.ID, "空.txt", nil); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("an empty file: %v", err)
		}
		att, err := s.Attach(as(wl), v.ID, `..\..\名片"x".png`, png)
		if err != nil || att.Name != "名片x.png" || att.ContentType != "image/png" || att.Size != int64(len(png)) {
			t.Fatalf("attach: %+v %v", att, err)
		}
		if a, data, err := s.FindAttachment(as(boss), att.ID); err != nil || a.Name != "名片x.png" || len(data) != len(png) {
			t.Fatalf("the manager reads the attachment: %+v %v", a, err)
		}
		if got, err := s.FindVisit(as(wl), v.ID); err != nil || len(got.Attachments) != 1 {
			t.Fatalf("the visit's attachments: %+v %v", got, err)
		}
		rep := &kewei.Visit{DecisionMaker: "李总", Needs: "车队更新", NextSteps: []string{"发报价", " ", "约试驾"}, Version: v.Version}
		if _, err := s.ReportVisit(as(zq), v.ID, rep); kewei.ErrorCode(err) != kewei.ENOTFOUND && kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("another consultant reported the visit: %v", err)
		}
		got, err := s.ReportVisit(as(wl), v.ID, rep)
		if err != nil || got.Status != kewei.VisitSubmitted || len(got.NextSteps) != 2 {
			t.Fatalf("submit: %+v %v", got, err)
		}
		if _, err := s.ReviewVisit(as(wl), v.ID, kewei.VisitReview{Approve: true, Version: got.Version}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("the consultant approved their own report: %v", err)
		}
		if _, err := s.ReviewVisit(as(boss), v.ID, kewei.VisitReview{Version: got.Version}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a return without a comment: %v", err)
		}
		got, err = s.ReviewVisit(as(boss), v.ID, kewei.VisitReview{Comment: "补充竞品信息", Version: got.Version})
		if err != nil || got.Status != kewei.VisitReturned || got.ReviewerID != boss.ID {
			t.Fatalf("return: %+v %v", got, err)
		}
		rep.Version, rep.Influencers = got.Version, "采购部王经理"
		if got, err = s.ReportVisit(as(wl), v.ID, rep); err != nil || got.Status != kewei.VisitSubmitted {
			t.Fatalf("resubmit: %+v %v", got, err)
		}
		if got, err = s.ReviewVisit(as(boss), v.ID, kewei.VisitReview{Approve: true, Version: got.Version}); err != nil || got.Status != kewei.VisitApproved {
			t.Fatalf("approve: %+v %v", got, err)
		}
		if _, err := s.ReviewVisit(as(boss), v.ID, kewei.VisitReview{Approve: true, Version: got.Version}); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("approved twice: %v", err)
		}
		if _, err := s.Attach(as(wl), v.ID, "晚了.png", png); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a file attached to an approved report: %v", err)
		}
		tasks, err := sqlstore.NewPlaybookService(db).FindTasks(as(wl), kewei.TaskFilter{Mine: true})
		if err != nil || len(tasks.Items) != 2 || tasks.Items[0].TalkingPoints != "发报价" {
			t.Fatalf("the next steps as tasks: %+v %v", tasks, err)
		}
		if list, _ := s.FindVisits(as(boss), kewei.VisitFilter{ToReview: true}); len(list) != 0 {
			t.Errorf("%d reports still to review", len(list))
		}
	})
}
