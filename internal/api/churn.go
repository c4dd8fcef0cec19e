package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// ActiveModel names the churn model to score with.
type ActiveModel struct {
	ModelID int64 `json:"model_id"`
}

func churnRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/churn/risks", Tag: "churn",
			Summary: "Scored customers in your scope, by risk (probability × value) or probability, each with the reasons behind the score",
			Access:  AccessData, Query: kewei.ChurnFilter{}, Response: []*kewei.ChurnRisk{}, Serve: s.churnRisks},
		{Method: "GET", Path: "/api/v1/customers/{id}/churn", Tag: "churn",
			Summary: "The customer's churn score and reasons (model_id 0 when not scored yet)",
			Access:  AccessCustomer, Response: kewei.ChurnRisk{}, Serve: s.customerChurn},
		{Method: "POST", Path: "/api/v1/customers/{id}/retention", Tag: "churn",
			Summary: "Have the playbooks plan retention tasks for the customer, once in 30 days (managers and administrators; audited)",
			Access:  AccessManager, Response: kewei.RetentionResult{}, Serve: s.askRetention},
		{Method: "GET", Path: "/api/v1/churn/models", Tag: "churn", Summary: "The churn models, newest first, with their model cards",
			Access: AccessData, Response: []*kewei.ChurnModel{}, Serve: s.churnModels},
		{Method: "POST", Path: "/api/v1/churn/models", Tag: "churn",
			Summary: "Train a churn model as of a cutoff, make it active and score every customer (administrators; audited)",
			Access:  AccessAdmin, Body: kewei.ChurnTrainRequest{}, Response: kewei.ChurnModel{}, Status: http.StatusCreated, Serve: s.trainChurn},
		{Method: "POST", Path: "/api/v1/churn/active", Tag: "churn", Summary: "Go back to an earlier churn model (administrators; audited)",
			Access: AccessAdmin, Body: ActiveModel{}, Response: ActiveModel{}, Serve: s.activateChurn},
		{Method: "POST", Path: "/api/v1/churn/score", Tag: "churn", Summary: "Score every customer with the active model now (administrators)",
			Access: AccessAdmin, Response: kewei.ChurnScoreRun{}, Serve: s.scoreChurn},
	}
}

func (s *Server) churnRisks(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.ChurnFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Churn.FindChurnRisks(r.Context(), f)
}

func (s *Server) customerChurn(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.svc.Churn.CustomerChurn(r.Context(), id)
	if err == nil && c == nil {
		c = &kewei.ChurnRisk{CustomerID: id}
	}
	return c, err
}

func (s *Server) askRetention(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Churn.RequestRetention(r.Context(), kewei.RetentionRequest{Customers: []int64{id}})
}

func (s *Server) churnModels(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Churn.FindChurnModels(r.Context())
}

func (s *Server) trainChurn(w http.ResponseWriter, r *http.Request) (any, error) {
	var req kewei.ChurnTrainRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.svc.Churn.TrainChurn(r.Context(), req)
}

func (s *Server) activateChurn(w http.ResponseWriter, r *http.Request) (any, error) {
	var in ActiveModel
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return &in, s.svc.Churn.ActivateChurnModel(r.Context(), in.ModelID)
}

func (s *Server) scoreChurn(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Churn.ScoreChurn(r.Context(), time.Now())
}
