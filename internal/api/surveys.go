package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// InviteBody asks for a survey link.
type InviteBody struct {
	SurveyID int64 `json:"survey_id" doc:"1, the built-in survey, when omitted."`
	Days     int   `json:"days" doc:"How long the link lives; 7 days when omitted, at most 90."`
}

// Invite is a new survey link.
type Invite struct {
	kewei.SurveyInvite
	Path string `json:"path" doc:"Send the customer this path on the server; it works once."`
}

func surveyRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/surveys", Tag: "surveys", Summary: "The satisfaction surveys",
			Access: AccessUser, Response: []*kewei.Survey{}, Serve: s.listSurveys},
		{Method: "POST", Path: "/api/v1/surveys", Tag: "surveys", Summary: "Create or (with an id) replace a survey (administrators)",
			Access: AccessAdmin, Body: kewei.Survey{}, Response: kewei.Survey{}, Serve: s.saveSurvey},
		{Method: "POST", Path: "/api/v1/customers/{id}/survey-invites", Tag: "surveys",
			Summary: "Make a single-use, expiring survey link for a customer (the token is shown once)",
			Access:  AccessCustomer, Body: InviteBody{}, Response: Invite{}, Status: http.StatusCreated, Serve: s.inviteToSurvey},
		{Method: "GET", Path: "/api/v1/customers/{id}/survey-responses", Tag: "surveys", Summary: "A customer's survey answers, newest first",
			Access: AccessCustomer, Response: []*kewei.SurveyResponse{}, Serve: s.customerResponses},
	}
}

func (s *Server) listSurveys(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Surveys.FindSurveys(r.Context())
}

func (s *Server) saveSurvey(w http.ResponseWriter, r *http.Request) (any, error) {
	var v kewei.Survey
	if err := decode(r, &v); err != nil {
		return nil, err
	}
	return &v, s.svc.Surveys.SaveSurvey(r.Context(), &v)
}

func (s *Server) inviteToSurvey(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var b InviteBody
	if err := decode(r, &b); err != nil {
		return nil, err
	}
	if b.SurveyID == 0 {
		b.SurveyID = 1
	}
	inv, err := s.svc.Surveys.InviteToSurvey(r.Context(), id, b.SurveyID, b.Days)
	if err != nil {
		return nil, err
	}
	return &Invite{SurveyInvite: *inv, Path: "/s/" + inv.Token}, nil
}

func (s *Server) customerResponses(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if _, err := s.svc.Customers.FindCustomerByID(r.Context(), id); err != nil {
		return nil, err
	}
	return s.svc.Surveys.FindResponses(r.Context(), id)
}
