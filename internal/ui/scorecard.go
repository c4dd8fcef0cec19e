package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/scorecard"
)

type scorecardPage struct {
	Card  *kewei.Scorecard
	Teams []*kewei.Team
	Query string // the filters, for the CSV link
}

// scorecardQuery reads the page's period (dates; "to" inclusive) and team.
func (s *Server) scorecardQuery(r *http.Request, p *page) kewei.ScorecardQuery {
	q := r.URL.Query()
	var sq kewei.ScorecardQuery
	for _, f := range []struct {
		key  string
		dst  *time.Time
		days int
	}{{"from", &sq.From, 0}, {"to", &sq.To, 1}} {
		if v := q.Get(f.key); v != "" {
			d, err := time.ParseInLocation(time.DateOnly, v, s.opt.Location)
			if err != nil {
				p.Errors[f.key] = p.L.T("reason.invalid_format")
				continue
			}
			*f.dst = d.AddDate(0, 0, f.days)
		}
	}
	sq.Team, _ = strconv.ParseInt(q.Get("team"), 10, 64)
	return sq
}

// scorecardPage shows the staff scorecard with its period and team
// filters.
func (s *Server) scorecardPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "scorecard.title", "scorecard")
	p.Form = r.URL.Query()
	sq := s.scorecardQuery(r, p)
	sc, err := s.svc.Scorecards.Scorecard(r.Context(), sq)
	if kewei.ErrorCode(err) == kewei.EINVALID {
		formErrors(p, err)
		sc, err = s.svc.Scorecards.Scorecard(r.Context(), kewei.ScorecardQuery{})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	teams, err := s.svc.Teams.FindTeams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !p.Form.Has("from") {
		p.Form.Set("from", sc.From.In(s.opt.Location).Format(time.DateOnly))
		p.Form.Set("to", sc.To.In(s.opt.Location).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	p.Data = &scorecardPage{Card: sc, Teams: teams, Query: p.Form.Encode()}
	s.render(w, r, http.StatusOK, "scorecard", p)
}

// scorecardCSV downloads the scorecard the page shows; the export is
// audited.
func (s *Server) scorecardCSV(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "scorecard.title", "scorecard")
	sq := s.scorecardQuery(r, p)
	sc, err := s.svc.Scorecards.Scorecard(r.Context(), sq)
	if err == nil {
		err = s.svc.Audit.RecordAccess(r.Context(), kewei.ActionExport, "scorecard", 0,
			map[string]any{"from": sc.From, "to": sc.To, "team": sq.Team, "people": len(sc.People)})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := s.opt.Location
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="scorecard-%s-%s.csv"`,
		sc.From.In(loc).Format("20060102"), sc.To.In(loc).Format("20060102")))
	if err := scorecard.WriteCSV(w, sc); err != nil {
		s.opt.Logger.Error("write the scorecard", "err", err)
	}
}
