package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// StageList is the pipeline's stages in order.
type StageList struct {
	Stages []kewei.PipelineStage `json:"stages"`
}

func opportunityRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/pipeline-stages", Tag: "pipeline", Summary: "The pipeline's stages in order",
			Access: AccessUser, Response: StageList{}, Serve: s.listStages},
		{Method: "PUT", Path: "/api/v1/pipeline-stages", Tag: "pipeline",
			Summary: "Replace the stages in order: keep (by id), rename, add, remove empty ones (administrators)",
			Access:  AccessAdmin, Body: StageList{}, Response: StageList{}, Serve: s.setStages},
		{Method: "GET", Path: "/api/v1/pipeline", Tag: "pipeline", Summary: "The kanban: each stage with its count, amount, weighted amount and opportunities, in your scope",
			Access: AccessData, Query: kewei.OpportunityFilter{}, Response: kewei.Pipeline{}, Serve: s.pipeline},
		{Method: "GET", Path: "/api/v1/opportunities", Tag: "pipeline", Summary: "Opportunities in your scope, by stage and expected close",
			Access: AccessData, Query: kewei.OpportunityFilter{}, Response: []*kewei.Opportunity{}, Serve: s.listOpportunities},
		{Method: "POST", Path: "/api/v1/customers/{id}/opportunities", Tag: "pipeline", Summary: "Open an opportunity on the customer (audited)",
			Access: AccessCustomer, Body: kewei.Opportunity{}, Response: kewei.Opportunity{}, Status: http.StatusCreated, Serve: s.createOpportunity},
		{Method: "GET", Path: "/api/v1/opportunities/{id}", Tag: "pipeline", Summary: "An opportunity",
			Access: AccessRecord, Response: kewei.Opportunity{}, Serve: s.getOpportunity},
		{Method: "PATCH", Path: "/api/v1/opportunities/{id}", Tag: "pipeline",
			Summary: "Change an opportunity, or move it to another stage (the stage's probability unless one is sent; audited)",
			Access:  AccessRecord, Body: kewei.Patch{}, PatchOf: kewei.Opportunity{}, Response: kewei.Opportunity{}, Serve: s.updateOpportunity},
		{Method: "GET", Path: "/api/v1/customers/{id}/contracts", Tag: "pipeline", Summary: "The customer's contracts, latest signed first",
			Access: AccessCustomer, Response: []*kewei.Contract{}, Serve: s.listContracts},
		{Method: "POST", Path: "/api/v1/customers/{id}/contracts", Tag: "pipeline", Summary: "Record a signed contract (audited)",
			Access: AccessCustomer, Body: kewei.Contract{}, Response: kewei.Contract{}, Status: http.StatusCreated, Serve: s.createContract},
		{Method: "GET", Path: "/api/v1/contracts/{id}", Tag: "pipeline", Summary: "A contract",
			Access: AccessRecord, Response: kewei.Contract{}, Serve: s.getContract},
		{Method: "PATCH", Path: "/api/v1/contracts/{id}", Tag: "pipeline",
			Summary: "Change a contract; its status moves signed → executing → ended, or to terminated (audited)",
			Access:  AccessRecord, Body: kewei.Patch{}, PatchOf: kewei.Contract{}, Response: kewei.Contract{}, Serve: s.updateContract},
	}
}

func (s *Server) listStages(w http.ResponseWriter, r *http.Request) (any, error) {
	st, err := s.svc.Opportunities.Stages(r.Context())
	return &StageList{Stages: st}, err
}

func (s *Server) setStages(w http.ResponseWriter, r *http.Request) (any, error) {
	var in StageList
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	st, err := s.svc.Opportunities.SetStages(r.Context(), in.Stages)
	return &StageList{Stages: st}, err
}

func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.OpportunityFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindPipeline(r.Context(), f)
}

func (s *Server) listOpportunities(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.OpportunityFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindOpportunities(r.Context(), f)
}

func (s *Server) createOpportunity(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var o kewei.Opportunity
	if err := decode(r, &o); err != nil {
		return nil, err
	}
	o.CustomerID = id
	if err := s.svc.Opportunities.CreateOpportunity(r.Context(), &o); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindOpportunity(r.Context(), o.ID)
}

func (s *Server) getOpportunity(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindOpportunity(r.Context(), id)
}

func (s *Server) updateOpportunity(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.UpdateOpportunity(r.Context(), id, p)
}

func (s *Server) listContracts(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindContracts(r.Context(), id)
}

func (s *Server) createContract(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var k kewei.Contract
	if err := decode(r, &k); err != nil {
		return nil, err
	}
	k.CustomerID = id
	if err := s.svc.Opportunities.CreateContract(r.Context(), &k); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindContract(r.Context(), k.ID)
}

func (s *Server) getContract(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Opportunities.FindContract(r.Context(), id)
}

func (s *Server) updateContract(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Opportunities.UpdateContract(r.Context(), id, p)
}
