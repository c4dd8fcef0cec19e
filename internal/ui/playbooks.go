package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
)

type playbooksPage struct {
	Playbooks []*kewei.Playbook
	Templates []string
	Run       *kewei.TaskRun
	Years     [][]kewei.HolidayDay // this year's and next year's holidays
}

// playbooksPage lists the playbooks; administrators add them from the
// built-in templates and plan tasks now.
func (s *Server) playbooksPage(w http.ResponseWriter, r *http.Request) {
	s.renderPlaybooks(w, r, nil, nil)
}

func (s *Server) renderPlaybooks(w http.ResponseWriter, r *http.Request, run *kewei.TaskRun, formErr error) {
	pbs, err := s.svc.Playbooks.FindPlaybooks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "playbook.title", "playbooks")
	d := &playbooksPage{Playbooks: pbs, Templates: playbook.Templates, Run: run}
	year := s.opt.Now().In(s.opt.Location).Year()
	for _, y := range []int{year, year + 1} {
		days, err := s.svc.Playbooks.HolidayDays(r.Context(), y)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Years = append(d.Years, days)
	}
	p.Data = d
	status := http.StatusOK
	if formErr != nil {
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "playbooks", p)
}

// playbookCreate adds a playbook from a template, disabled until the
// administrator has read it and switched it on.
func (s *Server) playbookCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	pb := &kewei.Playbook{Template: r.PostForm.Get("template")}
	if err := s.svc.Playbooks.CreatePlaybook(r.Context(), pb); err != nil {
		if kewei.ErrorCode(err) == kewei.EINVALID {
			s.renderPlaybooks(w, r, nil, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/playbooks/"+strconv.FormatInt(pb.ID, 10)+"?done=created", http.StatusSeeOther)
}

// playbookRun plans the tasks due now and shows what the run did.
func (s *Server) playbookRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.svc.Playbooks.RunTasks(r.Context(), s.opt.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPlaybooks(w, r, run, nil)
}

func (s *Server) playbookDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Playbooks.DeletePlaybook(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/playbooks?done=deleted", http.StatusSeeOther)
}

// holidaysSave sets a year's official holiday dates from the form; a date
// put back to the computed one, or cleared, is no longer set by hand.
func (s *Server) holidaysSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	year, _ := strconv.Atoi(r.PostForm.Get("year"))
	days, err := s.svc.Playbooks.HolidayDays(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, h := range days {
		v := r.PostForm.Get(h.Key)
		d, perr := kewei.ParseDate(v)
		if perr != nil {
			var p kewei.Problems
			p.Add(h.Key, kewei.ReasonInvalidFormat, "%v", perr)
			s.renderPlaybooks(w, r, nil, p.Err())
			return
		}
		if d == playbook.HolidayDate(h.Key, year) {
			d = kewei.Date{}
		}
		if (d == h.Date && h.Set) || (d.IsZero() && !h.Set) {
			continue
		}
		if err := s.svc.Playbooks.SetHolidayDate(r.Context(), year, h.Key, d); err != nil {
			if kewei.ErrorCode(err) == kewei.EINVALID {
				s.renderPlaybooks(w, r, nil, err)
				return
			}
			s.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/playbooks?done=saved", http.StatusSeeOther)
}
