package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// DuplicateQuery pages the duplicate pairs.
type DuplicateQuery struct {
	Customer int64  `query:"customer" doc:"Only the pairs of this customer."`
	Cursor   string `query:"cursor"`
	Limit    int    `query:"limit"`
}

// ScanResult is what a scan for duplicates found.
type ScanResult struct {
	Found int `json:"found" doc:"New pairs."`
}

func duplicateRoutes(s *Server) []Route {
	const data = AccessData
	return []Route{
		{Method: "GET", Path: "/api/v1/duplicates", Tag: "duplicates", Summary: "Pairs of customers in your scope that look like one, newest first",
			Access: data, Query: DuplicateQuery{}, Response: kewei.List[*kewei.DuplicatePair]{}, Serve: s.listDuplicates},
		{Method: "POST", Path: "/api/v1/duplicates/{id}/dismiss", Tag: "duplicates", Summary: "Mark a pair as two different customers",
			Access: data, Serve: s.dismissDuplicate},
		{Method: "POST", Path: "/api/v1/duplicates/scan", Tag: "duplicates", Summary: "Look for duplicates among all customers (administrators)",
			Access: AccessAdmin, Response: ScanResult{}, Serve: s.scanDuplicates},
		{Method: "GET", Path: "/api/v1/merges", Tag: "duplicates", Summary: "The latest merges into customers in your scope", Access: data,
			Response: []*kewei.Merge{}, Serve: s.listMerges},
		{Method: "POST", Path: "/api/v1/merges", Tag: "duplicates",
			Summary: "Merge one customer into another, keeping the history of both (audited; can be undone for 30 days)",
			Access:  data, Body: kewei.MergeRequest{}, Response: kewei.Merge{}, Status: http.StatusCreated, Serve: s.merge},
		{Method: "POST", Path: "/api/v1/merges/{id}/undo", Tag: "duplicates", Summary: "Undo a merge within 30 days", Access: data,
			Response: kewei.Merge{}, Serve: s.undoMerge},
	}
}

func (s *Server) listDuplicates(w http.ResponseWriter, r *http.Request) (any, error) {
	var q DuplicateQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Duplicates.FindDuplicates(r.Context(), kewei.DuplicateFilter{CustomerID: q.Customer, Cursor: q.Cursor, Limit: q.Limit})
}

func (s *Server) dismissDuplicate(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Duplicates.DismissDuplicate(r.Context(), id)
}

func (s *Server) scanDuplicates(w http.ResponseWriter, r *http.Request) (any, error) {
	if !kewei.ActorFrom(r.Context()).IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators scan all customers")
	}
	n, err := s.svc.Duplicates.ScanDuplicates(r.Context(), time.Time{})
	return &ScanResult{Found: n}, err
}

func (s *Server) listMerges(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Duplicates.FindMerges(r.Context())
}

func (s *Server) merge(w http.ResponseWriter, r *http.Request) (any, error) {
	var req kewei.MergeRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.svc.Duplicates.MergeCustomers(r.Context(), req)
}

func (s *Server) undoMerge(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Duplicates.UnmergeCustomers(r.Context(), id)
}
