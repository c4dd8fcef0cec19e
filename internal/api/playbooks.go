package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
)

// SkipBody says why a task is skipped.
type SkipBody struct {
	Reason string `json:"reason"`
}

// FollowUpQuery picks the period of the adherence report.
type FollowUpQuery struct {
	From time.Time `query:"from" doc:"Start of the period; 30 days before to when omitted."`
	To   time.Time `query:"to" doc:"End of the period; now when omitted."`
	Days int       `query:"days" doc:"Coverage: customers not contacted for this many days; 30 when omitted."`
}

// HolidayQuery picks the year of the holiday dates.
type HolidayQuery struct {
	Year int `query:"year"`
}

// RunTasksBody plans tasks as of a time; now when omitted.
type RunTasksBody struct {
	Now string `json:"now" doc:"RFC 3339; the current time when omitted."`
}

func playbookRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/playbooks", Tag: "playbooks", Summary: "Every maintenance playbook",
			Access: AccessUser, Response: []*kewei.Playbook{}, Serve: s.listPlaybooks},
		{Method: "GET", Path: "/api/v1/playbook-templates", Tag: "playbooks", Summary: "The built-in templates, as playbooks to start from",
			Access: AccessUser, Response: []*kewei.Playbook{}, Serve: s.listPlaybookTemplates},
		{Method: "GET", Path: "/api/v1/playbooks/{id}", Tag: "playbooks", Summary: "One playbook",
			Access: AccessUser, Response: kewei.Playbook{}, Serve: s.getPlaybook},
		{Method: "POST", Path: "/api/v1/playbooks", Tag: "playbooks",
			Summary: "Add a playbook; {\"template\": KEY} with no steps copies a built-in template (administrators)",
			Access:  AccessAdmin, Body: kewei.Playbook{}, Response: kewei.Playbook{}, Status: http.StatusCreated, Serve: s.createPlaybook},
		{Method: "PUT", Path: "/api/v1/playbooks/{id}", Tag: "playbooks", Summary: "Save a new version of a playbook; send the version you read (administrators)",
			Access: AccessAdmin, Body: kewei.Playbook{}, Response: kewei.Playbook{}, Serve: s.updatePlaybook},
		{Method: "DELETE", Path: "/api/v1/playbooks/{id}", Tag: "playbooks", Summary: "Remove a playbook and its open tasks (administrators)",
			Access: AccessAdmin, Serve: s.deletePlaybook},
		{Method: "POST", Path: "/api/v1/task-runs", Tag: "playbooks", Summary: "Plan the tasks due by now (administrators; also done daily)",
			Access: AccessAdmin, Body: RunTasksBody{}, Response: kewei.TaskRun{}, Serve: s.runTasks},
		{Method: "GET", Path: "/api/v1/follow-up", Tag: "playbooks",
			Summary: "Task adherence (done on time) by person, team and playbook step, and customers by tier not contacted for N days, in your scope",
			Access:  AccessData, Query: FollowUpQuery{}, Response: kewei.Adherence{}, Serve: s.followUp},
		{Method: "POST", Path: "/api/v1/handovers", Tag: "playbooks",
			Summary: "Hand every customer and open task of a leaving user to another, in one audited step (administrators; managers within their teams)",
			Access:  AccessTeam, Body: kewei.HandoverRequest{}, Response: kewei.Handover{}, Serve: s.handOver},
		{Method: "GET", Path: "/api/v1/holidays", Tag: "playbooks", Summary: "Every built-in holiday's date in a year (this year when omitted)",
			Access: AccessUser, Query: HolidayQuery{}, Response: []kewei.HolidayDay{}, Serve: s.listHolidays},
		{Method: "PUT", Path: "/api/v1/holidays", Tag: "playbooks",
			Summary: "Set a holiday's official date for a year, or with a null date return to the computed one (administrators)",
			Access:  AccessAdmin, Body: kewei.HolidayDay{}, Response: kewei.HolidayDay{}, Serve: s.setHoliday},
		{Method: "GET", Path: "/api/v1/tasks", Tag: "playbooks", Summary: "Follow-up tasks of the customers in your scope, soonest due first",
			Access: AccessData, Query: kewei.TaskFilter{}, Response: kewei.List[*kewei.Task]{}, Serve: s.listTasks},
		{Method: "POST", Path: "/api/v1/tasks/{id}/complete", Tag: "playbooks", Summary: "Mark a task done; the interaction is logged with it",
			Access: AccessRecord, Body: kewei.TaskCompletion{}, Response: kewei.Task{}, Serve: s.completeTask},
		{Method: "POST", Path: "/api/v1/tasks/{id}/skip", Tag: "playbooks", Summary: "Close a task without doing it, with the reason",
			Access: AccessRecord, Body: SkipBody{}, Response: kewei.Task{}, Serve: s.skipTask},
	}
}

func (s *Server) listPlaybooks(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Playbooks.FindPlaybooks(r.Context())
}

func (s *Server) listPlaybookTemplates(w http.ResponseWriter, r *http.Request) (any, error) {
	out := []*kewei.Playbook{}
	for _, k := range playbook.Templates {
		out = append(out, playbook.Template(k))
	}
	return out, nil
}

func (s *Server) getPlaybook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Playbooks.FindPlaybook(r.Context(), id)
}

func (s *Server) createPlaybook(w http.ResponseWriter, r *http.Request) (any, error) {
	var pb kewei.Playbook
	if err := decode(r, &pb); err != nil {
		return nil, err
	}
	return &pb, s.svc.Playbooks.CreatePlaybook(r.Context(), &pb)
}

func (s *Server) updatePlaybook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var pb kewei.Playbook
	if err := decode(r, &pb); err != nil {
		return nil, err
	}
	pb.ID = id
	return &pb, s.svc.Playbooks.UpdatePlaybook(r.Context(), &pb)
}

func (s *Server) deletePlaybook(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Playbooks.DeletePlaybook(r.Context(), id)
}

func (s *Server) runTasks(w http.ResponseWriter, r *http.Request) (any, error) {
	var b RunTasksBody
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	now, err := parseNow(b.Now)
	if err != nil {
		return nil, err
	}
	return s.svc.Playbooks.RunTasks(r.Context(), now)
}

func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.TaskFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Playbooks.FindTasks(r.Context(), f)
}

func (s *Server) completeTask(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var c kewei.TaskCompletion
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	return s.svc.Playbooks.CompleteTask(r.Context(), id, c)
}

func (s *Server) skipTask(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var b SkipBody
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	return s.svc.Playbooks.SkipTask(r.Context(), id, b.Reason)
}

func (s *Server) followUp(w http.ResponseWriter, r *http.Request) (any, error) {
	var q FollowUpQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	if q.To.IsZero() {
		q.To = time.Now()
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -30)
	}
	return s.svc.Playbooks.FollowUp(r.Context(), q.From, q.To, q.Days)
}

func (s *Server) handOver(w http.ResponseWriter, r *http.Request) (any, error) {
	var req kewei.HandoverRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.svc.Handovers.HandOver(r.Context(), req)
}

func (s *Server) listHolidays(w http.ResponseWriter, r *http.Request) (any, error) {
	var q HolidayQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	if q.Year == 0 {
		q.Year = time.Now().In(s.opt.Location).Year()
	}
	return s.svc.Playbooks.HolidayDays(r.Context(), q.Year)
}

func (s *Server) setHoliday(w http.ResponseWriter, r *http.Request) (any, error) {
	var h kewei.HolidayDay
	if err := decode(r, &h); err != nil {
		return nil, err
	}
	if err := s.svc.Playbooks.SetHolidayDate(r.Context(), h.Year, h.Key, h.Date); err != nil {
		return nil, err
	}
	h.Set = !h.Date.IsZero()
	return &h, nil
}
