package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/chart"
)

type serviceReportPage struct {
	Report     *kewei.ServiceReport
	Categories template.HTML
	Causes     template.HTML
	NPS        template.HTML
}

// serviceReportPage shows complaints and satisfaction over a period (the
// last 90 days unless chosen).
func (s *Server) serviceReportPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "report.title", "complaints")
	p.Form = q
	loc := s.opt.Location
	to := s.opt.Now()
	from := to.AddDate(0, 0, -90)
	if v := q.Get("from"); v != "" {
		if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			from = d
		} else {
			p.Errors["from"] = p.L.T("reason.invalid_format")
		}
	}
	rep, err := s.svc.Complaints.ServiceReport(r.Context(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bars := func(title string, lines []kewei.CountLine) template.HTML {
		var b []chart.Bar
		for _, l := range lines {
			b = append(b, chart.Bar{Label: l.Label, Value: float64(l.Count)})
		}
		return chart.Bars(title, b, chart.Options{Format: func(v float64) string { return p.L.Number(int64(v)) }})
	}
	d := &serviceReportPage{Report: rep, Categories: bars(p.L.T("report.by_category"), rep.ByCategory),
		Causes: bars(p.L.T("report.by_root_cause"), rep.ByRootCause)}
	if len(rep.NPSByMonth) > 1 {
		var xs []string
		series := chart.Series{Name: "NPS"}
		for _, m := range rep.NPSByMonth {
			xs = append(xs, m.Month)
			series.Values = append(series.Values, m.Score+100) // the chart's axis starts at 0
		}
		d.NPS = chart.Line(p.L.T("report.nps_by_month"), xs, []chart.Series{series},
			chart.Options{Format: func(v float64) string { return strconv.Itoa(int(v - 100)) }})
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "service_report", p)
}
