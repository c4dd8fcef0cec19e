package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

type followUpPage struct {
	Report *kewei.Adherence
	Since  string // the coverage cut-off, for the customer list links
}

// followUpPage shows who keeps up with their tasks, by person, team and
// playbook step, and which customers nobody has contacted for N days.
func (s *Server) followUpPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "followup.title", "playbooks")
	p.Form = q
	loc := s.opt.Location
	to := s.opt.Now()
	from := to.AddDate(0, 0, -30)
	if v := q.Get("from"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			p.Errors["from"] = p.L.T("reason.invalid_format")
		} else {
			from = d
		}
	}
	days, _ := strconv.Atoi(q.Get("days"))
	if days <= 0 {
		days = 30
	}
	rep, err := s.svc.Playbooks.FollowUp(r.Context(), from, to, days)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &followUpPage{Report: rep, Since: url.Values{"last_contact_to": {to.AddDate(0, 0, -days).In(loc).Format(time.DateOnly)}}.Encode()}
	s.render(w, r, http.StatusOK, "follow_up", p)
}
