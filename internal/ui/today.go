package ui

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/chart"
)

// contactDays is how long without contact puts one of your customers on the
// Today page.
const contactDays = 60

type todayPage struct {
	Tasks     []*kewei.Task
	Failed    int64 // the task whose form was refused
	Days      int
	ToContact []*kewei.Customer
	Recent    []*kewei.Customer
	Chart     any
}

// today shows what the user should do now: tasks (from playbooks), their
// customers not contacted for a while, those contacted last, and their
// customers by stage.
func (s *Server) today(w http.ResponseWriter, r *http.Request) {
	s.renderToday(w, r, 0, nil)
}

// renderToday draws the page; failed is the task whose form err refused.
func (s *Server) renderToday(w http.ResponseWriter, r *http.Request, failed int64, formErr error) {
	ctx := r.Context()
	p := s.newPage(r, "today.heading", "today")
	me := kewei.ActorUserID(ctx)
	d := &todayPage{Days: contactDays, Failed: failed}
	now := s.opt.Now()
	// Open tasks due by the end of tomorrow, overdue ones first.
	tomorrow := now.In(s.opt.Location).AddDate(0, 0, 2)
	tasks, err := s.svc.Playbooks.FindTasks(ctx, kewei.TaskFilter{Mine: true, Statuses: []kewei.TaskStatus{kewei.TaskOpen},
		DueBefore: time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 0, 0, 0, 0, s.opt.Location), Limit: 30})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Tasks = tasks.Items
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	due, err := s.svc.Customers.FindCustomers(ctx, kewei.CustomerFilter{OwnerID: &me, Sort: "last_contact_at",
		LastContactTo: now.AddDate(0, 0, -contactDays), Stages: []kewei.Stage{kewei.StageCustomer, kewei.StageProspect}, Limit: 10})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recent, err := s.svc.Customers.FindCustomers(ctx, kewei.CustomerFilter{OwnerID: &me, Sort: "-last_contact_at",
		LastContactFrom: now.AddDate(0, 0, -contactDays), Limit: 10})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.ToContact, d.Recent = due.Items, recent.Items
	var bars []chart.Bar
	for _, st := range kewei.Stages {
		l, err := s.svc.Customers.FindCustomers(ctx, kewei.CustomerFilter{OwnerID: &me, Stages: []kewei.Stage{st}, Limit: 1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		bars = append(bars, chart.Bar{Label: p.L.T("stage." + string(st)), Value: float64(l.Total)})
	}
	d.Chart = chart.Bars(p.L.T("today.mine"), bars, chart.Options{Format: func(v float64) string { return p.L.Number(int64(v)) }})
	p.Data = d
	s.render(w, r, status, "today", p)
}
