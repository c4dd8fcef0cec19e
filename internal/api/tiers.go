package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// MigrationQuery picks the two days the tier migration matrix compares.
type MigrationQuery struct {
	kewei.ValueFilter
	From string `query:"from" doc:"The earlier day, YYYY-MM-DD."`
	To   string `query:"to" doc:"The later day, YYYY-MM-DD; today when omitted."`
}

// TierChangeQuery pages tier history.
type TierChangeQuery struct {
	Cursor string `query:"cursor"`
	Limit  int    `query:"limit"`
}

func tierRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/tier-rules", Tag: "value", Summary: "The tier rules of every business line",
			Access: AccessUser, Response: []*kewei.TierRule{}, Serve: s.listTierRules},
		{Method: "POST", Path: "/api/v1/tier-rules", Tag: "value", Summary: "Add a tier rule (administrators)",
			Access: AccessAdmin, Body: kewei.TierRule{}, Response: kewei.TierRule{}, Status: http.StatusCreated, Serve: s.createTierRule},
		{Method: "PUT", Path: "/api/v1/tier-rules/{id}", Tag: "value", Summary: "Replace a tier rule's settings; send the version you read (administrators)",
			Access: AccessAdmin, Body: kewei.TierRule{}, Response: kewei.TierRule{}, Serve: s.updateTierRule},
		{Method: "DELETE", Path: "/api/v1/tier-rules/{id}", Tag: "value", Summary: "Remove a tier rule (administrators)",
			Access: AccessAdmin, Serve: s.deleteTierRule},
		{Method: "POST", Path: "/api/v1/tier-runs", Tag: "value", Summary: "Re-tier every customer now, in the background (administrators)",
			Access: AccessAdmin, Body: kewei.RetierRequest{}, Response: kewei.TierRun{}, Status: http.StatusAccepted, Serve: s.startRetier},
		{Method: "GET", Path: "/api/v1/tier-runs", Tag: "value", Summary: "The latest re-tiering runs and their progress",
			Access: AccessUser, Response: []*kewei.TierRun{}, Serve: s.listTierRuns},
		{Method: "GET", Path: "/api/v1/tier-changes", Tag: "value", Summary: "Tier changes of the customers in your scope, newest first",
			Access: AccessData, Query: TierChangeQuery{}, Response: kewei.List[*kewei.TierChange]{}, Serve: s.listTierChanges},
		{Method: "GET", Path: "/api/v1/value/report", Tag: "value",
			Summary: "The customers in your scope by tier (count, revenue, profit), the Pareto curve, RFM segments and grid, revenue by province",
			Access:  AccessData, Query: kewei.ValueFilter{}, Response: kewei.ValueReport{}, Serve: s.valueReport},
		{Method: "GET", Path: "/api/v1/value/migration", Tag: "value", Summary: "How the customers in your scope moved between tiers from one day to another",
			Access: AccessData, Query: MigrationQuery{}, Response: kewei.TierMigration{}, Serve: s.tierMigration},
		{Method: "GET", Path: "/api/v1/customers/{id}/tier-history", Tag: "value", Summary: "A customer's tier history, newest first",
			Access: AccessCustomer, Query: TierChangeQuery{}, Response: kewei.List[*kewei.TierChange]{}, Serve: s.customerTierHistory},
		{Method: "GET", Path: "/api/v1/customers/{id}/tier-overrides", Tag: "value", Summary: "A customer's manual tier overrides, newest first",
			Access: AccessCustomer, Response: []*kewei.TierOverride{}, Serve: s.listTierOverrides},
		{Method: "POST", Path: "/api/v1/customers/{id}/tier-override", Tag: "value",
			Summary: "Pin a customer's tier by hand with a reason until an expiry day; re-tiering respects it (managers and administrators; audited)",
			Access:  AccessManager, Body: kewei.TierOverride{}, Response: kewei.TierOverride{}, Status: http.StatusCreated, Serve: s.setTierOverride},
		{Method: "DELETE", Path: "/api/v1/customers/{id}/tier-override", Tag: "value",
			Summary: "Lift the override in force; the next run tiers the customer by the rules (managers and administrators; audited)",
			Access:  AccessManager, Serve: s.endTierOverride},
	}
}

func (s *Server) listTierRules(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Tiers.FindTierRules(r.Context())
}

func (s *Server) createTierRule(w http.ResponseWriter, r *http.Request) (any, error) {
	var rule kewei.TierRule
	if err := decode(r, &rule); err != nil {
		return nil, err
	}
	return &rule, s.svc.Tiers.CreateTierRule(r.Context(), &rule)
}

func (s *Server) updateTierRule(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var rule kewei.TierRule
	if err := decode(r, &rule); err != nil {
		return nil, err
	}
	rule.ID = id
	return &rule, s.svc.Tiers.UpdateTierRule(r.Context(), &rule)
}

func (s *Server) deleteTierRule(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Tiers.DeleteTierRule(r.Context(), id)
}

func (s *Server) startRetier(w http.ResponseWriter, r *http.Request) (any, error) {
	var req kewei.RetierRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.svc.Tiers.StartRetier(r.Context(), req)
}

func (s *Server) listTierRuns(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Tiers.FindTierRuns(r.Context(), 20)
}

func (s *Server) listTierChanges(w http.ResponseWriter, r *http.Request) (any, error) {
	var q TierChangeQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Tiers.FindTierChanges(r.Context(), kewei.TierChangeFilter{Cursor: q.Cursor, Limit: q.Limit})
}

func (s *Server) customerTierHistory(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var q TierChangeQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	// Reading the overrides checks the customer is in scope, and audits a
	// refusal; the history itself is scoped too.
	if _, err := s.svc.Tiers.FindTierOverrides(r.Context(), id); err != nil {
		return nil, err
	}
	return s.svc.Tiers.FindTierChanges(r.Context(), kewei.TierChangeFilter{CustomerID: id, Cursor: q.Cursor, Limit: q.Limit})
}

func (s *Server) valueReport(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.ValueFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Tiers.ValueReport(r.Context(), f)
}

func (s *Server) tierMigration(w http.ResponseWriter, r *http.Request) (any, error) {
	var q MigrationQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	from, to, err := migrationDays(q.From, q.To, s.opt.Location)
	if err != nil {
		return nil, err
	}
	return s.svc.Tiers.TierMigration(r.Context(), from, to, q.ValueFilter)
}

func (s *Server) listTierOverrides(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Tiers.FindTierOverrides(r.Context(), id)
}

func (s *Server) setTierOverride(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var o kewei.TierOverride
	if err := decode(r, &o); err != nil {
		return nil, err
	}
	o.CustomerID = id
	return &o, s.svc.Tiers.SetTierOverride(r.Context(), &o)
}

func (s *Server) endTierOverride(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Tiers.EndTierOverride(r.Context(), id)
}
