package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// ruleForm is one rule's form: the stored rule (nil for a new one) and the
// values the form shows, which after a refused save are the ones posted.
type ruleForm struct {
	ID     int64
	Rule   *kewei.TierRule
	Values url.Values
	Errors map[string]string
}

type rulesPage struct {
	Forms   []*ruleForm
	New     *ruleForm
	Methods []option
	Metrics []option
	Tiers   []kewei.Tier
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) {
	s.renderRules(w, r, 0, nil)
}

// renderRules shows every rule as an editable form and one to add a rule;
// failed is the rule whose save was refused with err (-1 the new one).
func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, failed int64, err error) {
	ctx := r.Context()
	if !kewei.ActorFrom(ctx).IsAdmin() {
		s.fail(w, r, kewei.Errorf(kewei.EFORBIDDEN, "administrators only"))
		return
	}
	rules, lerr := s.svc.Tiers.FindTierRules(ctx)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.newPage(r, "value.rules", "value")
	d := &rulesPage{Tiers: kewei.Tiers}
	for _, m := range kewei.TierMethods {
		d.Methods = append(d.Methods, option{string(m), p.L.T("rule.method." + string(m))})
	}
	for _, m := range kewei.TierMetrics {
		d.Metrics = append(d.Metrics, option{string(m), p.L.T("rule.metric." + string(m))})
	}
	fail := func(f *ruleForm) {
		f.Values = r.PostForm
		saved := p.Errors
		p.Errors = map[string]string{}
		formErrors(p, err)
		f.Errors, p.Errors = p.Errors, saved
	}
	for _, rl := range rules {
		f := &ruleForm{ID: rl.ID, Rule: rl, Values: ruleValues(rl), Errors: map[string]string{}}
		if failed == rl.ID {
			fail(f)
		}
		d.Forms = append(d.Forms, f)
	}
	d.New = &ruleForm{Values: url.Values{"method": {"pareto"}, "metric": {"revenue"}, "window_months": {"12"}, "share_a": {"1"},
		"share_b": {"5"}, "share_c": {"20"}, "enabled": {"true"}}, Errors: map[string]string{}}
	if failed == -1 {
		fail(d.New)
	}
	p.Data = d
	status := http.StatusOK
	if err != nil {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "rules", p)
}

// ruleValues writes a rule as its form's values: shares as percentages,
// bands one per line as "minimum tier label".
func ruleValues(rl *kewei.TierRule) url.Values {
	pct := func(v float64) string { return strconv.FormatFloat(v*100, 'f', -1, 64) }
	v := url.Values{"name": {rl.Name}, "line": {rl.Line}, "method": {string(rl.Method)}, "metric": {string(rl.Metric)},
		"window_months": {strconv.Itoa(rl.WindowMonths)}, "share_a": {pct(rl.ShareA)}, "share_b": {pct(rl.ShareB)},
		"share_c": {pct(rl.ShareC)}, "category": {rl.Category}, "field": {rl.Field}, "label_a": {rl.Labels.A},
		"label_b": {rl.Labels.B}, "label_c": {rl.Labels.C}, "label_d": {rl.Labels.D}, "version": {strconv.Itoa(rl.Version)}}
	var bands []string
	for _, b := range rl.Bands {
		bands = append(bands, strings.TrimSpace(fmt.Sprintf("%s %s %s", b.Min, b.Tier, b.Label)))
	}
	v.Set("bands", strings.Join(bands, "\n"))
	if rl.Enabled {
		v.Set("enabled", "true")
	}
	return v
}

// ruleFromForm reads a rule from its form, naming the field of anything it
// cannot read.
func ruleFromForm(f url.Values) (*kewei.TierRule, error) {
	var p kewei.Problems
	num := func(name string) float64 {
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Get(name)), "%"))
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			p.Add(name, kewei.ReasonInvalidFormat, "%q is not a number", s)
		}
		return v
	}
	rl := &kewei.TierRule{Name: f.Get("name"), Line: f.Get("line"), Method: kewei.TierMethod(f.Get("method")),
		Metric: kewei.TierMetric(f.Get("metric")), WindowMonths: int(num("window_months")),
		ShareA: num("share_a") / 100, ShareB: num("share_b") / 100, ShareC: num("share_c") / 100,
		Category: f.Get("category"), Field: f.Get("field"), Enabled: f.Get("enabled") == "true",
		Labels: kewei.TierLabels{A: f.Get("label_a"), B: f.Get("label_b"), C: f.Get("label_c"), D: f.Get("label_d")}}
	rl.Version, _ = strconv.Atoi(f.Get("version"))
	for i, line := range strings.Split(f.Get("bands"), "\n") {
		parts := strings.Fields(line)
		if len(parts) == 0 {
			continue
		}
		min, err := kewei.ParseMoney(parts[0])
		if err != nil || len(parts) < 2 {
			p.Add("bands", kewei.ReasonInvalidFormat, "line %d: write the minimum, the tier and a label, e.g. 100000 C 优质", i+1)
			continue
		}
		rl.Bands = append(rl.Bands, kewei.TierBand{Min: min, Tier: kewei.Tier(strings.ToUpper(parts[1])), Label: strings.Join(parts[2:], " ")})
	}
	return rl, p.Err()
}

func (s *Server) ruleCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	rl, err := ruleFromForm(r.PostForm)
	if err == nil {
		err = s.svc.Tiers.CreateTierRule(r.Context(), rl)
	}
	s.ruleDone(w, r, -1, err, "created")
}

func (s *Server) ruleSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rl, err := ruleFromForm(r.PostForm)
	if err == nil {
		rl.ID = id
		err = s.svc.Tiers.UpdateTierRule(r.Context(), rl)
	}
	s.ruleDone(w, r, id, err, "saved")
}

func (s *Server) ruleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Tiers.DeleteTierRule(r.Context(), id)
	}
	s.ruleDone(w, r, id, err, "deleted")
}

// ruleDone redirects after a change, re-renders the form a refusal names
// fields in, and shows any other error.
func (s *Server) ruleDone(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/value/rules?done="+done, http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderRules(w, r, id, err)
	default:
		s.fail(w, r, err)
	}
}
