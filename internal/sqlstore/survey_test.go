package sqlstore_test

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestSurveyAnswersOnceAndScores(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clock := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		owner, _ := mustUser(t, db, "wl", kewei.RoleConsultant)
		c := mustCustomer(t, owner, db, &kewei.Customer{Name: "张三"})
		s := sqlstore.NewSurveyService(db)
		inv, err := s.InviteToSurvey(owner, c.ID, 1, 7)
		if err != nil {
			t.Fatal(err)
		}
		r := &kewei.SurveyResponse{CSAT: 4, NPS: 9, Answers: []kewei.SurveyAnswer{{Key: "reception", Expectation: 5, Performance: 7},
			{Key: "expertise", Expectation: 6, Performance: 6}, {Key: "delivery", Expectation: 4, Performance: 5}, {Key: "after_sales", Expectation: 7, Performance: 5}}}
		if err := s.AnswerInvite(sys, inv.Token, r); err != nil {
			t.Fatal(err)
		}
		if r.Gap != 0.25 || r.Low() {
			t.Errorf("gap %.2f (want (2+0+1-2)/4 = 0.25), low %v", r.Gap, r.Low())
		}
		if err := s.AnswerInvite(sys, inv.Token, r); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Errorf("a second answer through one link: %v", err)
		}
		got, err := s.FindResponses(owner, c.ID)
		if err != nil || len(got) != 1 || got[0].NPS != 9 || len(got[0].Answers) != 4 {
			t.Fatalf("responses: %+v %v", got, err)
		}
		tl, err := sqlstore.NewTimelineService(db).FindTimeline(owner, kewei.TimelineFilter{CustomerID: c.ID})
		if err != nil || tl.Items[0].Kind != "survey" || tl.Items[0].Subkind != "9" {
			t.Fatalf("timeline: %+v %v", tl, err)
		}
		late, _ := s.InviteToSurvey(owner, c.ID, 1, 1)
		clock = clock.Add(25 * time.Hour)
		if _, _, err := s.OpenInvite(sys, late.Token); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Errorf("an expired link opened: %v", err)
		}
		other, _ := mustUser(t, db, "zq", kewei.RoleConsultant)
		if _, err := s.InviteToSurvey(other, c.ID, 1, 7); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Errorf("another consultant made a link for a customer not theirs: %v", err)
		}
	})
}
