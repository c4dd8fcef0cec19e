package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

type pipelinePage struct {
	Pipeline *kewei.Pipeline
	Stages   []kewei.PipelineStage
	List     bool // the list instead of the kanban
	Mine     bool
	Total    kewei.Money
	Weighted kewei.Money
}

// pipelinePage shows the opportunities in scope as a kanban, one column per
// stage, or as a list.
func (s *Server) pipelinePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := kewei.OpportunityFilter{Mine: q.Get("mine") != ""}
	pl, err := s.svc.Opportunities.FindPipeline(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &pipelinePage{Pipeline: pl, List: q.Get("view") == "list", Mine: f.Mine}
	for _, col := range pl.Columns {
		d.Stages = append(d.Stages, col.Stage)
		if col.Stage.Kind == kewei.PipelineOpen {
			d.Total += col.Amount
			d.Weighted += col.Weighted
		}
	}
	p := s.newPage(r, "pipeline.title", "pipeline")
	p.Form = q
	p.Data = d
	s.render(w, r, http.StatusOK, "pipeline", p)
}

// opportunityMove moves an opportunity to another stage, from its kanban
// card (a form, or a drop that submits it).
func (s *Server) opportunityMove(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	stage, _ := strconv.ParseInt(r.PostForm.Get("stage_id"), 10, 64)
	var p kewei.Patch
	p.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
	p.Set("stage_id", stage)
	if _, err := s.svc.Opportunities.UpdateOpportunity(r.Context(), id, p); err != nil {
		if kewei.ErrorCode(err) == kewei.ECONFLICT {
			http.Redirect(w, r, "/opportunities?done=conflict", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	back := "/opportunities?done=saved"
	if v := r.PostForm.Get("view"); v == "list" {
		back += "&view=list"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

type opportunityPage struct {
	Opportunity *kewei.Opportunity
	Stages      []kewei.PipelineStage
}

func (s *Server) opportunityPage(w http.ResponseWriter, r *http.Request) {
	s.renderOpportunity(w, r, nil)
}

func (s *Server) renderOpportunity(w http.ResponseWriter, r *http.Request, formErr error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.svc.Opportunities.FindOpportunity(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	stages, err := s.svc.Opportunities.Stages(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "pipeline.opportunity", "pipeline")
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	} else {
		p.Form.Set("name", o.Name)
		p.Form.Set("amount", o.Amount.String())
		p.Form.Set("expected_close", o.ExpectedClose.String())
		p.Form.Set("probability", strconv.Itoa(o.Probability))
		p.Form.Set("stage_id", strconv.FormatInt(o.StageID, 10))
		p.Form.Set("note", o.Note)
	}
	p.Data = &opportunityPage{Opportunity: o, Stages: stages}
	s.render(w, r, status, "opportunity", p)
}

// opportunityForm reads the fields of an opportunity form into a patch;
// unreadable values are named.
func opportunityForm(f map[string][]string, prefix string, p *kewei.Patch) error {
	get := func(k string) string {
		if v := f[prefix+k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	var bad kewei.Problems
	p.Set("name", get("name"))
	p.Set("note", get("note"))
	if m, err := kewei.ParseMoney(orZero(get("amount"))); err == nil {
		p.Set("amount", m)
	} else {
		bad.Add("amount", kewei.ReasonInvalidFormat, "an amount such as 12000.50")
	}
	if v := get("expected_close"); v != "" {
		if d, err := kewei.ParseDate(v); err == nil {
			p.Set("expected_close", d)
		} else {
			bad.Add("expected_close", kewei.ReasonInvalidFormat, "a date such as 2027-01-15")
		}
	}
	if v := get("probability"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad.Add("probability", kewei.ReasonInvalidFormat, "a whole percentage")
		}
		p.Set("probability", n)
	}
	if v := get("stage_id"); v != "" {
		n, _ := strconv.ParseInt(v, 10, 64)
		p.Set("stage_id", n)
	}
	return bad.Err()
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// opportunitySave saves the opportunity page's form.
func (s *Server) opportunitySave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p kewei.Patch
	p.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
	err = opportunityForm(r.PostForm, "", &p)
	if err == nil {
		_, err = s.svc.Opportunities.UpdateOpportunity(r.Context(), id, p)
	}
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/opportunities/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderOpportunity(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// opportunityCreate opens an opportunity from the customer page.
func (s *Server) opportunityCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o := &kewei.Opportunity{CustomerID: id}
	var p kewei.Patch
	err = opportunityForm(r.PostForm, "opp_", &p)
	if err == nil {
		if err = p.Apply(o); err == nil {
			err = s.svc.Opportunities.CreateOpportunity(r.Context(), o)
		}
	}
	if err != nil {
		s.backToCustomer(w, r, id, prefixFields(err, "opp_"), "contract.conflict")
		return
	}
	http.Redirect(w, r, "/opportunities/"+strconv.FormatInt(o.ID, 10)+"?done=created", http.StatusSeeOther)
}

// prefixFields names err's fields as the form on a page of several forms
// does: "opp_amount" for "amount".
func prefixFields(err error, prefix string) error {
	fields := kewei.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var p kewei.Problems
	for _, f := range fields {
		f.Field = prefix + f.Field
		p = append(p, f)
	}
	return p.Err()
}
