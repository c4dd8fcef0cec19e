package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

func campaignRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/campaigns", Tag: "campaigns",
			Summary: "Every campaign's leads, conversion, opportunities, revenue and ROI, and the sources of the period's new customers (the last 90 days by default), in your scope",
			Access:  AccessUser, Query: PeriodQuery{}, Response: kewei.CampaignReport{}, Serve: s.campaignReport},
		{Method: "POST", Path: "/api/v1/campaigns", Tag: "campaigns", Summary: "Add a campaign (administrators)",
			Access: AccessAdmin, Body: kewei.Campaign{}, Response: kewei.Campaign{}, Status: http.StatusCreated, Serve: s.createCampaign},
		{Method: "GET", Path: "/api/v1/campaigns/{id}", Tag: "campaigns", Summary: "A campaign and its results in your scope",
			Access: AccessUser, Response: kewei.CampaignResult{}, Serve: s.getCampaign},
		{Method: "PATCH", Path: "/api/v1/campaigns/{id}", Tag: "campaigns", Summary: "Change a campaign (administrators)",
			Access: AccessAdmin, Body: kewei.Patch{}, PatchOf: kewei.Campaign{}, Response: kewei.Campaign{}, Serve: s.updateCampaign},
		{Method: "PUT", Path: "/api/v1/customers/{id}/campaign", Tag: "campaigns", Summary: "Record the campaign the customer came through; 0 removes it (audited)",
			Access: AccessCustomer, Body: kewei.Attribution{}, Response: kewei.Attribution{}, Serve: s.attribute},
	}
}

func (s *Server) campaignReport(w http.ResponseWriter, r *http.Request) (any, error) {
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
	return s.svc.Campaigns.CampaignReport(r.Context(), q.From, q.To)
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	var c kewei.Campaign
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	return &c, s.svc.Campaigns.CreateCampaign(r.Context(), &c)
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Campaigns.FindCampaign(r.Context(), id)
}

func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Campaigns.UpdateCampaign(r.Context(), id, p)
}

func (s *Server) attribute(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var a kewei.Attribution
	if err := decode(r, &a); err != nil {
		return nil, err
	}
	return &a, s.svc.Campaigns.Attribute(r.Context(), id, a.CampaignID)
}
