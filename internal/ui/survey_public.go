package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type surveyPage struct {
	Survey *kewei.Survey
	Token  string
	Done   bool
	Scale7 []int
	Scale5 []int
	Scale  []int // 0–10
}

func newSurveyPage(sv *kewei.Survey, token string) *surveyPage {
	d := &surveyPage{Survey: sv, Token: token}
	for i := 0; i <= 10; i++ {
		if i >= 1 && i <= 7 {
			d.Scale7 = append(d.Scale7, i)
		}
		if i >= 1 && i <= 5 {
			d.Scale5 = append(d.Scale5, i)
		}
		d.Scale = append(d.Scale, i)
	}
	return d
}

// surveyLink shows a customer the survey behind a link: no sign-in, a
// phone-sized page, refused once the link is used or expired.
func (s *Server) surveyLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	sv, _, err := s.svc.Surveys.OpenInvite(r.Context(), token)
	p := s.newPage(r, "survey.title", "")
	if err != nil {
		p.Data = &surveyPage{}
		s.render(w, r, http.StatusNotFound, "survey", p)
		return
	}
	p.Data = newSurveyPage(sv, token)
	s.render(w, r, http.StatusOK, "survey", p)
}

// surveyAnswer records the customer's answers once.
func (s *Server) surveyAnswer(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	token := r.PathValue("token")
	p := s.newPage(r, "survey.title", "")
	sv, _, err := s.svc.Surveys.OpenInvite(r.Context(), token)
	if err != nil {
		p.Data = &surveyPage{}
		s.render(w, r, http.StatusNotFound, "survey", p)
		return
	}
	num := func(k string) int {
		n, err := strconv.Atoi(r.PostForm.Get(k))
		if err != nil {
			return -1
		}
		return n
	}
	resp := &kewei.SurveyResponse{CSAT: num("csat"), NPS: num("nps"), Comment: r.PostForm.Get("comment")}
	for _, it := range sv.Items {
		resp.Answers = append(resp.Answers, kewei.SurveyAnswer{Key: it.Key, Expectation: num("e_" + it.Key), Performance: num("p_" + it.Key)})
	}
	// The customer is nobody Kewei knows by name: the audit log says the
	// answer came through a survey link, from where.
	ctx := kewei.WithActor(r.Context(), &kewei.Actor{Name: "survey link", RemoteAddr: r.RemoteAddr})
	d := newSurveyPage(sv, token)
	switch err := s.svc.Surveys.AnswerInvite(ctx, token, resp); kewei.ErrorCode(err) {
	case "":
		d.Done = true
		p.Data = d
		s.render(w, r, http.StatusOK, "survey", p)
	case kewei.EINVALID:
		p.Form = r.PostForm
		formErrors(p, err)
		p.Data = d
		s.render(w, r, http.StatusBadRequest, "survey", p)
	case kewei.ENOTFOUND:
		p.Data = &surveyPage{}
		s.render(w, r, http.StatusNotFound, "survey", p)
	default:
		s.fail(w, r, err)
	}
}
