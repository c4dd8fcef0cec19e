package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/chart"
	"github.com/kewei-crm/kewei/internal/i18n"
)

type churnPage struct {
	Risks   []*kewei.ChurnRisk
	Teams   []*kewei.Team
	Model   *kewei.ChurnModel // the active one, nil before the first training
	Manager bool              // may ask for retention
	Asked   *kewei.RetentionResult
}

// churnPage lists the customers most at risk in the viewer's scope, with
// the reasons behind each score, and lets a manager ask for retention.
func (s *Server) churnPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "churn.title", "churn")
	q := r.URL.Query()
	p.Form = q
	f := kewei.ChurnFilter{Tier: kewei.Tier(q.Get("tier")), Sort: q.Get("sort"), Limit: 100}
	f.Team, _ = strconv.ParseInt(q.Get("team"), 10, 64)
	risks, err := s.svc.Churn.FindChurnRisks(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	teams, err := s.svc.Teams.FindTeams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	models, err := s.svc.Churn.FindChurnModels(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &churnPage{Risks: risks, Teams: teams, Manager: p.IsAdmin || p.Actor.Role == kewei.RoleManager}
	for _, m := range models {
		if m.Active {
			d.Model = m
		}
	}
	if q.Has("asked") {
		d.Asked = &kewei.RetentionResult{}
		d.Asked.Requested, _ = strconv.Atoi(q.Get("asked"))
		d.Asked.Already, _ = strconv.Atoi(q.Get("already"))
		d.Asked.Tasks, _ = strconv.Atoi(q.Get("tasks"))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "churn", p)
}

// churnRetention asks for retention tasks for the ticked customers and
// goes back to the list with what was done.
func (s *Server) churnRetention(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["customer"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/churn") {
		back = "/churn"
	}
	u, _ := url.Parse(back)
	q := u.Query()
	q.Del("asked")
	q.Del("already")
	q.Del("tasks")
	if len(ids) == 0 {
		q.Set("asked", "0")
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return
	}
	res, err := s.svc.Churn.RequestRetention(r.Context(), kewei.RetentionRequest{Customers: ids})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Set("asked", strconv.Itoa(res.Requested))
	q.Set("already", strconv.Itoa(res.Already))
	q.Set("tasks", strconv.Itoa(res.Tasks))
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

type churnModelPage struct {
	Models   []*kewei.ChurnModel
	Active   *kewei.ChurnModel
	Features template.HTML
	Calib    template.HTML
	Training *trainingState
}

// churnModelPage is the model card: when and on what the active model was
// trained, how well it did, its calibration and its features; the earlier
// models; and, for administrators, training and going back.
func (s *Server) churnModelPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "churn.model_title", "churn")
	p.Form = url.Values{"horizon_days": {"180"}}
	s.renderChurnModel(w, r, p, http.StatusOK)
}

// renderChurnModel renders the model card page with p's form and errors.
func (s *Server) renderChurnModel(w http.ResponseWriter, r *http.Request, p *page, status int) {
	models, err := s.svc.Churn.FindChurnModels(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &churnModelPage{Models: models, Training: s.training.state()}
	if d.Training.Running {
		p.Refresh = 5
	}
	for _, m := range models {
		if m.Active {
			d.Active = m
		}
	}
	if m := d.Active; m != nil {
		var bars []chart.Bar
		for i, f := range m.Card.Features {
			if i == 12 {
				break
			}
			bars = append(bars, chart.Bar{Label: p.L.T("churn.feature." + f.Name), Value: f.Share * 100})
		}
		pctOpt := chart.Options{Format: func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }}
		d.Features = chart.Bars(p.L.T("churn.top_features"), bars, pctOpt)
		var xs []string
		pred, obs := chart.Series{Name: p.L.T("churn.predicted")}, chart.Series{Name: p.L.T("churn.observed")}
		for i, b := range m.Card.Calibration {
			xs = append(xs, strconv.Itoa(i+1))
			pred.Values = append(pred.Values, b.Predicted*100)
			obs.Values = append(obs.Values, b.Observed*100)
		}
		d.Calib = chart.Line(p.L.T("churn.calibration"), xs, []chart.Series{pred, obs}, pctOpt)
	}
	p.Data = d
	s.render(w, r, status, "churn_model", p)
}

// churnTrain starts training in the background (administrators); the
// model page follows it.
func (s *Server) churnTrain(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	a := kewei.ActorFrom(r.Context())
	if !a.IsAdmin() {
		s.fail(w, r, kewei.Errorf(kewei.EFORBIDDEN, "only administrators train the churn model"))
		return
	}
	req := kewei.ChurnTrainRequest{Label: kewei.ChurnLabel{Stage: r.PostForm.Has("stage"), Contract: r.PostForm.Has("contract"),
		Inactive: r.PostForm.Has("inactive")}}
	req.HorizonDays, _ = strconv.Atoi(r.PostForm.Get("horizon_days"))
	lines, err := kewei.ParseLineDays(r.PostForm.Get("lines"))
	if err == nil {
		req.Label.Lines = lines
		req.AsOf, err = kewei.ParseDate(r.PostForm.Get("as_of"))
		if err == nil {
			err = req.Validate()
		}
	}
	if err != nil {
		// The form again, with the problem beside its field.
		p := s.newPage(r, "churn.model_title", "churn")
		p.Form = r.PostForm
		formErrors(p, err)
		if kewei.ErrorCode(err) != kewei.EINVALID {
			p.Errors["as_of"] = p.L.T("reason.invalid_format")
		}
		s.renderChurnModel(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	s.training.start(kewei.WithActor(r.Context(), a), s.svc.Churn, req, s.opt.Logger)
	http.Redirect(w, r, "/churn/model", http.StatusSeeOther)
}

// churnActivate goes back to an earlier model (administrators).
func (s *Server) churnActivate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, _ := strconv.ParseInt(r.PostForm.Get("model_id"), 10, 64)
	if err := s.svc.Churn.ActivateChurnModel(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/churn/model?done=saved", http.StatusSeeOther)
}

// churnValue names a reason's value in the viewer's language: a
// category's label where the catalog has one, a number as it is, "none"
// for a missing one.
func churnValue(l *i18n.Translator, feature, value string) string {
	switch {
	case value == "":
		return l.T("churn.none")
	case feature == "owned":
		return l.T("churn.owned." + value)
	case l.Has(feature + "." + value):
		return l.T(feature + "." + value)
	}
	return value
}

// customerRetention asks for retention tasks from the customer's page.
func (s *Server) customerRetention(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.svc.Churn.RequestRetention(r.Context(), kewei.RetentionRequest{Customers: []int64{id}}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=retention#churn", http.StatusSeeOther)
}
