package api

import (
	"fmt"
	"net/http"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/scorecard"
)

func scorecardRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/scorecard", Tag: "scorecard",
			Summary: "The staff scorecard per person and team over a period (this month by default): managers see their teams, administrators everyone, others their own line",
			Access:  AccessUser, Query: kewei.ScorecardQuery{}, Response: kewei.Scorecard{}, Serve: s.scorecard},
		{Method: "GET", Path: "/api/v1/scorecard/export", Tag: "scorecard", Summary: "The same scorecard as CSV (audited)",
			Access: AccessUser, Query: kewei.ScorecardQuery{}, Produces: "text/csv", Serve: s.scorecardCSV},
	}
}

func (s *Server) scorecard(w http.ResponseWriter, r *http.Request) (any, error) {
	var q kewei.ScorecardQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Scorecards.Scorecard(r.Context(), q)
}

func (s *Server) scorecardCSV(w http.ResponseWriter, r *http.Request) (any, error) {
	var q kewei.ScorecardQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	sc, err := s.svc.Scorecards.Scorecard(r.Context(), q)
	if err != nil {
		return nil, err
	}
	detail := map[string]any{"from": sc.From, "to": sc.To, "team": q.Team, "people": len(sc.People)}
	if err := s.svc.Audit.RecordAccess(r.Context(), kewei.ActionExport, "scorecard", 0, detail); err != nil {
		return nil, err
	}
	loc := s.opt.Location
	attachment(w, "text/csv; charset=utf-8", fmt.Sprintf("scorecard-%s-%s.csv", sc.From.In(loc).Format("20060102"), sc.To.In(loc).Format("20060102")))
	return nil, scorecard.WriteCSV(w, sc)
}
