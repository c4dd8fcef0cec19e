package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

func visitRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/visits", Tag: "visits", Summary: "Visits to the customers in your scope, latest first: yours, to report, or waiting for your review",
			Access: AccessData, Query: kewei.VisitFilter{}, Response: []*kewei.Visit{}, Serve: s.listVisits},
		{Method: "POST", Path: "/api/v1/customers/{id}/visits", Tag: "visits", Summary: "Plan a visit: when, purpose, expected questions, competitors, what to bring (audited)",
			Access: AccessCustomer, Body: kewei.Visit{}, Response: kewei.Visit{}, Status: http.StatusCreated, Serve: s.planVisit},
		{Method: "GET", Path: "/api/v1/visits/{id}", Tag: "visits", Summary: "A visit: the plan, the report and the review",
			Access: AccessRecord, Response: kewei.Visit{}, Serve: s.getVisit},
		{Method: "POST", Path: "/api/v1/visits/{id}/report", Tag: "visits",
			Summary: "Report your visit — who decides, who influences, the front desk, needs, next steps — and submit it to your manager",
			Access:  AccessAuthor, Body: kewei.Visit{}, Response: kewei.Visit{}, Serve: s.reportVisit},
		{Method: "POST", Path: "/api/v1/visits/{id}/review", Tag: "visits",
			Summary: "Approve a submitted report (its next steps become tasks) or return it with comments: the consultant's managers",
			Access:  AccessManager, Body: kewei.VisitReview{}, Response: kewei.Visit{}, Serve: s.reviewVisit},
	}
}

func (s *Server) listVisits(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.VisitFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Visits.FindVisits(r.Context(), f)
}

func (s *Server) planVisit(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var v kewei.Visit
	if err := decode(r, &v); err != nil {
		return nil, err
	}
	v.CustomerID = id
	if err := s.svc.Visits.PlanVisit(r.Context(), &v); err != nil {
		return nil, err
	}
	return s.svc.Visits.FindVisit(r.Context(), v.ID)
}

func (s *Server) getVisit(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Visits.FindVisit(r.Context(), id)
}

func (s *Server) reportVisit(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var v kewei.Visit
	if err := decode(r, &v); err != nil {
		return nil, err
	}
	return s.svc.Visits.ReportVisit(r.Context(), id, &v)
}

func (s *Server) reviewVisit(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var rv kewei.VisitReview
	if err := decode(r, &rv); err != nil {
		return nil, err
	}
	return s.svc.Visits.ReviewVisit(r.Context(), id, rv)
}
