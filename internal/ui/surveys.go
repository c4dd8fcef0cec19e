package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

type surveysPage struct {
	Surveys []*kewei.Survey
	Failed  int64 // the survey whose save was refused; -1 the new one
}

// surveysPage lists the satisfaction surveys for administrators to edit.
func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request) {
	s.renderSurveys(w, r, 0, nil)
}

func (s *Server) renderSurveys(w http.ResponseWriter, r *http.Request, failed int64, formErr error) {
	if !kewei.ActorFrom(r.Context()).IsAdmin() {
		s.fail(w, r, kewei.Errorf(kewei.EFORBIDDEN, "administrators only"))
		return
	}
	list, err := s.svc.Surveys.FindSurveys(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "surveys.title", "complaints")
	p.Data = &surveysPage{Surveys: list, Failed: failed}
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "surveys", p)
}

// surveySave creates or replaces a survey from its form: the items one per
// line as "key | question".
func (s *Server) surveySave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := &kewei.Survey{Name: r.PostForm.Get("name")}
	v.ID, _ = strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	for _, line := range strings.Split(r.PostForm.Get("items"), "\n") {
		key, text, ok := strings.Cut(line, "|")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !ok {
			key, text = "", line
		}
		v.Items = append(v.Items, kewei.SurveyItem{Key: strings.TrimSpace(key), Text: strings.TrimSpace(text)})
	}
	switch err := s.svc.Surveys.SaveSurvey(r.Context(), v); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/surveys?done=saved", http.StatusSeeOther)
	case kewei.EINVALID:
		failed := v.ID
		if failed == 0 {
			failed = -1
		}
		s.renderSurveys(w, r, failed, err)
	default:
		s.fail(w, r, err)
	}
}
