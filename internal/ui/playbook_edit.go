package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/playbook"
)

// stepRow is one step's row of the editing form.
type stepRow struct {
	N      int
	Step   kewei.PlaybookStep
	Errors map[string]string
}

type playbookPage struct {
	Playbook *kewei.Playbook
	Rows     []stepRow
	Triggers []kewei.TriggerKind
	Dates    []string
	Events   []string
	Holidays []string
	Actions  []kewei.InteractionKind
	Whos     []kewei.Assignee
	Tiers    []kewei.Tier
	Stages   []kewei.Stage
	Intents  []kewei.Intent
	CanEdit  bool
}

// blankRows is how many empty rows the form offers for new steps.
const blankRows = 2

func (s *Server) playbookPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pb, err := s.svc.Playbooks.FindPlaybook(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPlaybook(w, r, pb, nil)
}

func (s *Server) renderPlaybook(w http.ResponseWriter, r *http.Request, pb *kewei.Playbook, formErr error) {
	p := s.newPage(r, "playbook.title", "playbooks")
	d := &playbookPage{Playbook: pb, Triggers: kewei.TriggerKinds, Dates: kewei.StepDates, Events: kewei.StepEvents,
		Holidays: playbook.Holidays, Actions: kewei.InteractionKinds, Whos: kewei.Assignees, Tiers: kewei.Tiers,
		Stages: kewei.Stages, Intents: kewei.Intents, CanEdit: p.IsAdmin}
	for i, st := range pb.Steps {
		d.Rows = append(d.Rows, stepRow{N: i, Step: st, Errors: map[string]string{}})
	}
	for i := 0; i < blankRows; i++ {
		d.Rows = append(d.Rows, stepRow{N: len(pb.Steps) + i, Step: kewei.PlaybookStep{Trigger: kewei.TriggerDate}, Errors: map[string]string{}})
	}
	status := http.StatusOK
	if formErr != nil {
		formErrors(p, formErr)
		// Errors named steps[i].field go beside that row's field.
		for _, fe := range kewei.ErrorFields(formErr) {
			var n int
			var field string
			if c, _ := fmt.Sscanf(strings.Replace(fe.Field, "].", "] ", 1), "steps[%d] %s", &n, &field); c == 2 && n < len(d.Rows) {
				msg := p.L.T("reason." + fe.Reason)
				if !p.L.Has("reason." + fe.Reason) {
					msg = fe.Message
				}
				d.Rows[n].Errors[field] = msg
				p.Errors[""] = p.L.T("playbook.fix_steps")
			}
		}
		status = http.StatusBadRequest
	}
	p.Data = d
	s.render(w, r, status, "playbook", p)
}

// playbookFromForm reads the playbook and its step rows; a row without a
// key is left out, so clearing a key deletes the step.
func playbookFromForm(f url.Values, pb *kewei.Playbook) {
	pb.Name, pb.Description, pb.Enabled = f.Get("name"), f.Get("description"), f.Get("enabled") == "true"
	pb.Version, _ = strconv.Atoi(f.Get("version"))
	pb.Audience = kewei.Audience{Tags: splitList(f.Get("tags"))}
	for _, v := range f["tier"] {
		pb.Audience.Tiers = append(pb.Audience.Tiers, kewei.Tier(v))
	}
	for _, v := range f["stage"] {
		pb.Audience.Stages = append(pb.Audience.Stages, kewei.Stage(v))
	}
	for _, v := range f["intent"] {
		pb.Audience.Intents = append(pb.Audience.Intents, kewei.Intent(v))
	}
	pb.Steps = nil
	for i := 0; ; i++ {
		at := func(k string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("s%d.%s", i, k))) }
		if _, ok := f[fmt.Sprintf("s%d.key", i)]; !ok {
			break
		}
		if at("key") == "" {
			continue
		}
		st := kewei.PlaybookStep{Key: at("key"), Trigger: kewei.TriggerKind(at("trigger")), Action: kewei.InteractionKind(at("action")),
			Assignee: kewei.Assignee(at("assignee")), TalkingPoints: at("talking_points"), Category: at("category")}
		st.OffsetDays, _ = strconv.Atoi(at("offset_days"))
		switch st.Trigger {
		case kewei.TriggerDate:
			st.Date = at("date")
		case kewei.TriggerEvent:
			st.Event = at("event")
		case kewei.TriggerRecurring:
			st.EveryDays, _ = strconv.Atoi(at("every_days"))
		case kewei.TriggerHoliday:
			st.Holiday = at("holiday")
		}
		pb.Steps = append(pb.Steps, st)
	}
}

// playbookSave saves the form as a new version of the playbook.
func (s *Server) playbookSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pb := &kewei.Playbook{ID: id}
	playbookFromForm(r.PostForm, pb)
	switch err := s.svc.Playbooks.UpdatePlaybook(r.Context(), pb); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/playbooks/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderPlaybook(w, r, pb, err)
	default:
		s.fail(w, r, err)
	}
}
