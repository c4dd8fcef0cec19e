package api

import (
	"io"
	"net/http"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/export"
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
		{Method: "POST", Path: "/api/v1/visits/{id}/attachments", Tag: "visits",
			Summary: "Attach a file (the body, at most 10 MB; name=file name) to your visit's report, until it is approved (audited)",
			Access:  AccessAuthor, Query: AttachmentQuery{}, Consumes: "application/octet-stream", Response: kewei.Attachment{},
			Status: http.StatusCreated, Serve: s.attach},
		{Method: "GET", Path: "/api/v1/attachments/{id}", Tag: "visits", Summary: "Download a visit report's attachment (audited)",
			Access: AccessRecord, Produces: "application/octet-stream", Serve: s.download},
	}
}

// AttachmentQuery names an uploaded file.
type AttachmentQuery struct {
	Name string `query:"name" doc:"The file's name; \"attachment\" when omitted."`
}

func (s *Server) attach(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var q AttachmentQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, kewei.MaxAttachmentSize+1))
	if err != nil {
		return nil, kewei.Errorf(kewei.EINVALID, "the upload was cut short")
	}
	return s.svc.Visits.Attach(r.Context(), id, q.Name, data)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, data, err := s.svc.Visits.FindAttachment(r.Context(), id)
	if err != nil {
		return nil, err
	}
	export.Attachment(w, a, data)
	return nil, nil
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
