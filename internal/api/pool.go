package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// PoolQuery pages the pool.
type PoolQuery struct {
	Limit int `query:"limit"`
}

func poolRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/pool", Tag: "pool", Summary: "Customers in the shared pool (公海), newest returns first, without contact details",
			Access: AccessData, Query: PoolQuery{}, Response: []*kewei.PoolEntry{}, Serve: s.listPool},
		{Method: "POST", Path: "/api/v1/pool/{id}/claim", Tag: "pool",
			Summary: "Claim a pool customer: you become the owner (a daily cap; the previous owner waits out a lock-out; audited)",
			Access:  AccessData, Serve: s.claimCustomer},
		{Method: "GET", Path: "/api/v1/pool/settings", Tag: "pool", Summary: "The pool's rules: days without contact per tier, claim cap, lock-out",
			Access: AccessUser, Response: kewei.PoolSettings{}, Serve: s.poolSettings},
		{Method: "PUT", Path: "/api/v1/pool/settings", Tag: "pool", Summary: "Set the pool's rules (administrators)",
			Access: AccessAdmin, Body: kewei.PoolSettings{}, Response: kewei.PoolSettings{}, Serve: s.setPoolSettings},
	}
}

func (s *Server) listPool(w http.ResponseWriter, r *http.Request) (any, error) {
	var q PoolQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Pool.FindPool(r.Context(), q.Limit)
}

func (s *Server) claimCustomer(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Pool.ClaimCustomer(r.Context(), id)
}

func (s *Server) poolSettings(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Pool.FindPoolSettings(r.Context())
}

func (s *Server) setPoolSettings(w http.ResponseWriter, r *http.Request) (any, error) {
	var ps kewei.PoolSettings
	if err := decode(r, &ps); err != nil {
		return nil, err
	}
	return &ps, s.svc.Pool.SetPoolSettings(r.Context(), &ps)
}
