package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// ComplaintDetail is a complaint with its history.
type ComplaintDetail struct {
	Complaint *kewei.Complaint        `json:"complaint"`
	History   []*kewei.ComplaintEvent `json:"history"`
}

// PeriodQuery is a report's period: the last 90 days when omitted.
type PeriodQuery struct {
	From time.Time `query:"from"`
	To   time.Time `query:"to,end"`
}

// RootCauseList is the root-cause taxonomy.
type RootCauseList struct {
	Causes []string `json:"causes"`
}

func complaintRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/complaints", Tag: "complaints", Summary: "Complaints of the customers in your scope, newest first, with their SLA clocks",
			Access: AccessData, Query: kewei.ComplaintFilter{}, Response: []*kewei.Complaint{}, Serve: s.listComplaints},
		{Method: "POST", Path: "/api/v1/customers/{id}/complaints", Tag: "complaints", Summary: "Record a customer's complaint (audited)",
			Access: AccessCustomer, Body: kewei.Complaint{}, Response: kewei.Complaint{}, Status: http.StatusCreated, Serve: s.createComplaint},
		{Method: "GET", Path: "/api/v1/complaints/{id}", Tag: "complaints", Summary: "A complaint, its SLA clocks and its history",
			Access: AccessRecord, Response: ComplaintDetail{}, Serve: s.getComplaint},
		{Method: "POST", Path: "/api/v1/complaints/{id}/steps", Tag: "complaints",
			Summary: "Move a complaint on: acknowledge, investigate, propose, resolve, confirm, close (root cause and corrective action), reopen, wait, resume",
			Access:  AccessRecord, Body: kewei.ComplaintStep{}, Response: kewei.Complaint{}, Serve: s.stepComplaint},
		{Method: "GET", Path: "/api/v1/reports/service", Tag: "complaints",
			Summary: "Complaints (by category, root cause, severity, month; within SLA; time to resolve; repeats; what complainants did after) and satisfaction (by item, consultant, team; CSAT; NPS by month), in your scope",
			Access:  AccessData, Query: PeriodQuery{}, Response: kewei.ServiceReport{}, Serve: s.serviceReport},
		{Method: "GET", Path: "/api/v1/root-causes", Tag: "complaints", Summary: "The root-cause taxonomy complaints are closed with",
			Access: AccessUser, Response: RootCauseList{}, Serve: s.listRootCauses},
		{Method: "PUT", Path: "/api/v1/root-causes", Tag: "complaints", Summary: "Replace the root-cause taxonomy (administrators)",
			Access: AccessAdmin, Body: RootCauseList{}, Response: RootCauseList{}, Serve: s.setRootCauses},
	}
}

func (s *Server) listComplaints(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.ComplaintFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Complaints.FindComplaints(r.Context(), f)
}

func (s *Server) createComplaint(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var k kewei.Complaint
	if err := decode(r, &k); err != nil {
		return nil, err
	}
	k.CustomerID = id
	if err := s.svc.Complaints.CreateComplaint(r.Context(), &k); err != nil {
		return nil, err
	}
	got, _, err := s.svc.Complaints.FindComplaint(r.Context(), k.ID)
	return got, err
}

func (s *Server) getComplaint(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	k, h, err := s.svc.Complaints.FindComplaint(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &ComplaintDetail{Complaint: k, History: h}, nil
}

func (s *Server) stepComplaint(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var st kewei.ComplaintStep
	if err := decode(r, &st); err != nil {
		return nil, err
	}
	return s.svc.Complaints.ActOnComplaint(r.Context(), id, st)
}

func (s *Server) listRootCauses(w http.ResponseWriter, r *http.Request) (any, error) {
	c, err := s.svc.Complaints.RootCauses(r.Context())
	return &RootCauseList{Causes: c}, err
}

func (s *Server) setRootCauses(w http.ResponseWriter, r *http.Request) (any, error) {
	var l RootCauseList
	if err := decode(r, &l); err != nil {
		return nil, err
	}
	if err := s.svc.Complaints.SetRootCauses(r.Context(), l.Causes); err != nil {
		return nil, err
	}
	return s.listRootCauses(w, r)
}

func (s *Server) serviceReport(w http.ResponseWriter, r *http.Request) (any, error) {
	var q PeriodQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	if q.To.IsZero() {
		q.To = time.Now()
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -90)
	}
	return s.svc.Complaints.ServiceReport(r.Context(), q.From, q.To)
}
