package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/chart"
)

type valuePage struct {
	Report        *kewei.ValueReport
	Filter        kewei.ValueFilter
	Teams         []*kewei.Team
	Lines         []string
	CountPyramid  template.HTML
	ValuePyramid  template.HTML
	ValueIsProfit bool
	Curve         template.HTML
	Regions       template.HTML
	GridMax       int
	Migration     *kewei.TierMigration
	Runs          []*kewei.TierRun
	Running       *kewei.TierRun
	Windows       []string
}

// valuePage shows what the customers in the actor's scope are worth: the
// two pyramids, the Pareto curve, RFM, regions and the tier migration
// matrix; administrators also re-tier from here.
func (s *Server) valuePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := s.newPage(r, "value.title", "value")
	p.Form = q
	f := kewei.ValueFilter{Province: q.Get("province"), Line: q.Get("line")}
	f.TeamID, _ = strconv.ParseInt(q.Get("team"), 10, 64)
	rep, err := s.svc.Tiers.ValueReport(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &valuePage{Report: rep, Filter: f, Windows: []string{"12m", "24m", "36m", "all"}}
	if d.Teams, err = s.svc.Teams.FindTeams(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	rules, err := s.svc.Tiers.FindTierRules(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seen := map[string]bool{}
	for _, rl := range rules {
		if rl.Line != "" && !seen[rl.Line] {
			seen[rl.Line] = true
			d.Lines = append(d.Lines, rl.Line)
		}
	}
	if d.Runs, err = s.svc.Tiers.FindTierRuns(ctx, 5); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(d.Runs) > 0 && d.Runs[0].Status == kewei.RunRunning {
		d.Running = d.Runs[0]
		p.Refresh = 3
	}
	s.valueCharts(p, d)
	if from := q.Get("from"); from != "" {
		fd, ferr := kewei.ParseDate(from)
		td, terr := kewei.ParseDate(q.Get("to"))
		switch {
		case ferr != nil:
			p.Errors["from"] = ferr.Error()
		case terr != nil:
			p.Errors["to"] = terr.Error()
		default:
			if td.IsZero() {
				td = kewei.DateOf(s.opt.Now().In(s.opt.Location))
			}
			if d.Migration, err = s.svc.Tiers.TierMigration(ctx, fd, td, f); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "value", p)
}

// valueCharts draws the pyramids, the Pareto curve and the regions.
func (s *Server) valueCharts(p *page, d *valuePage) {
	rep := d.Report
	money := chart.Options{Format: func(v float64) string { return p.L.Money(kewei.Money(v * 100)) }}
	count := chart.Options{Format: func(v float64) string { return p.L.Number(int64(v)) }}
	var counts, values []chart.Bar
	d.ValueIsProfit = rep.Profit != 0
	for _, t := range rep.Tiers {
		label := p.L.T("tier." + string(t.Tier))
		counts = append(counts, chart.Bar{Label: label, Value: float64(t.Customers)})
		v := t.Revenue
		if d.ValueIsProfit {
			v = t.Profit
		}
		values = append(values, chart.Bar{Label: label, Value: v.Float()})
	}
	d.CountPyramid = chart.Pyramid(p.L.T("value.pyramid_count"), counts, count)
	title := "value.pyramid_revenue"
	if d.ValueIsProfit {
		title = "value.pyramid_profit"
	}
	d.ValuePyramid = chart.Pyramid(p.L.T(title), values, money)
	var xs []string
	curve, equal := chart.Series{Name: p.L.T("value.curve_actual")}, chart.Series{Name: p.L.T("value.curve_equal")}
	for _, pt := range rep.Curve {
		xs = append(xs, strconv.Itoa(int(pt.Customers*100+0.5))+"%")
		curve.Values = append(curve.Values, pt.Value*100)
		equal.Values = append(equal.Values, pt.Customers*100)
	}
	d.Curve = chart.Line(p.L.T("value.curve"), xs, []chart.Series{curve, equal},
		chart.Options{Format: func(v float64) string { return strconv.Itoa(int(v+0.5)) + "%" }})
	var regions []chart.Bar
	for i, g := range rep.Regions {
		if i == 12 {
			break
		}
		name := g.Province
		if name == "" {
			name = p.L.T("value.region_none")
		}
		regions = append(regions, chart.Bar{Label: name, Value: g.Revenue.Float()})
	}
	d.Regions = chart.Bars(p.L.T("value.regions"), regions, money)
	for _, row := range rep.Grid {
		for _, n := range row {
			d.GridMax = max(d.GridMax, n)
		}
	}
}

// valueRun starts a re-tiering; administrators only.
func (s *Server) valueRun(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	req := kewei.RetierRequest{Window: r.PostForm.Get("window")}
	var err error
	if req.AsOf, err = kewei.ParseDate(r.PostForm.Get("as_of")); err == nil {
		_, err = s.svc.Tiers.StartRetier(r.Context(), req)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/value?"+url.Values{"done": {"retier"}}.Encode(), http.StatusSeeOther)
}
