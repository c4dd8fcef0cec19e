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
	p.Data = &playbooksPage{Playbooks: pbs, Templates: playbook.Templates, Run: run}
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
