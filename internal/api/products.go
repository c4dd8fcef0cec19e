package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// ProductQuery narrows the catalogue.
type ProductQuery struct {
	Q        string `query:"q" doc:"In the code or the name."`
	Category string `query:"category"`
	Active   string `query:"active" doc:"true or false; both when omitted."`
}

// DueQuery asks who is due for replacement or renewal.
type DueQuery struct {
	Within   int        `query:"within" doc:"Days from today (in the business's time zone); 30 by default, at most 3660."`
	Overdue  bool       `query:"overdue" doc:"Also those whose date has passed."`
	Category string     `query:"category"`
	Owner    int64      `query:"owner"`
	Tier     kewei.Tier `query:"tier"`
	Cursor   string     `query:"cursor"`
	Limit    int        `query:"limit"`
}

// DueRefresh says how many holdings' due dates moved.
type DueRefresh struct {
	Changed int `json:"changed"`
}

func productRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/products", Tag: "products", Summary: "The product catalogue, by code",
			Access: AccessUser, Query: ProductQuery{}, Response: []*kewei.Product{}, Serve: s.products},
		{Method: "POST", Path: "/api/v1/products", Tag: "products", Summary: "Add a product (administrators; audited)",
			Access: AccessAdmin, Body: kewei.Product{}, Response: kewei.Product{}, Status: http.StatusCreated, Serve: s.createProduct},
		{Method: "GET", Path: "/api/v1/products/{id}", Tag: "products", Summary: "One product",
			Access: AccessUser, Response: kewei.Product{}, Serve: s.product},
		{Method: "PATCH", Path: "/api/v1/products/{id}", Tag: "products",
			Summary: "Change a product (administrators; audited); the due dates of the holdings naming it follow",
			Access:  AccessAdmin, Body: kewei.Patch{}, PatchOf: kewei.Product{}, Response: kewei.Product{}, Serve: s.updateProduct},
		{Method: "DELETE", Path: "/api/v1/products/{id}", Tag: "products", Summary: "Remove a product (administrators; audited)",
			Access: AccessAdmin, Query: DeleteQuery{}, Serve: s.deleteProduct},
		{Method: "GET", Path: "/api/v1/replacements", Tag: "products",
			Summary: "Holdings due for replacement or renewal in the next days, soonest first, in your scope",
			Access:  AccessData, Query: DueQuery{}, Response: kewei.List[*kewei.DueItem]{}, Serve: s.due},
		{Method: "POST", Path: "/api/v1/replacements/refresh", Tag: "products",
			Summary: "Recompute every holding's due date now (administrators; serve does it nightly)",
			Access:  AccessAdmin, Response: DueRefresh{}, Serve: s.refreshDue},
	}
}

func (s *Server) products(w http.ResponseWriter, r *http.Request) (any, error) {
	var q ProductQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	f := kewei.ProductFilter{Query: q.Q, Category: q.Category}
	switch q.Active {
	case "true", "false":
		v := q.Active == "true"
		f.Active = &v
	case "":
	default:
		var p kewei.Problems
		p.Add("active", kewei.ReasonInvalidFormat, "must be true or false")
		return nil, p.Err()
	}
	return s.svc.Products.FindProducts(r.Context(), f)
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) (any, error) {
	p := kewei.Product{Active: true}
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return &p, s.svc.Products.CreateProduct(r.Context(), &p)
}

func (s *Server) product(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Products.FindProduct(r.Context(), id)
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) (any, error) {
	id, p, err := patchRequest(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Products.UpdateProduct(r.Context(), id, p)
}

func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request) (any, error) {
	id, version, err := s.deleteRequest(r)
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Products.DeleteProduct(r.Context(), id, version)
}

func (s *Server) due(w http.ResponseWriter, r *http.Request) (any, error) {
	var q DueQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Due.FindDue(r.Context(), kewei.DueFilter{Within: q.Within, Overdue: q.Overdue, Category: q.Category,
		OwnerID: q.Owner, Tier: q.Tier, Cursor: q.Cursor, Limit: q.Limit, Today: kewei.Today(time.Now(), s.opt.Location)})
}

func (s *Server) refreshDue(w http.ResponseWriter, r *http.Request) (any, error) {
	n, err := s.svc.Due.RefreshDue(r.Context())
	if err != nil {
		return nil, err
	}
	return &DueRefresh{Changed: n}, nil
}

func upgradeRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/upgrades/paths", Tag: "products",
			Summary: "Per tier, what the customers one tier up buy more (from every purchase, as of the recommender's last training)",
			Access:  AccessData, Response: []kewei.UpgradePath{}, Serve: s.upgradePaths},
		{Method: "GET", Path: "/api/v1/upgrades/candidates", Tag: "products",
			Summary: "The customers in your scope closest to the next tier, closest first, with what to offer them",
			Access:  AccessData, Query: kewei.UpgradeFilter{}, Response: []*kewei.UpgradeCandidate{}, Serve: s.upgradeCandidates},
		{Method: "POST", Path: "/api/v1/upgrades/tasks", Tag: "products",
			Summary: "Give each named customer's owner a call about the next tier (managers and administrators; audited)",
			Access:  AccessLead, Body: kewei.UpgradeTasks{}, Response: kewei.UpgradeTasksResult{}, Serve: s.upgradeTasks},
	}
}

func (s *Server) upgradePaths(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Upgrades.UpgradePaths(r.Context())
}

func (s *Server) upgradeCandidates(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.UpgradeFilter
	if err := decodeQuery(r, s.opt.Location, &f); err != nil {
		return nil, err
	}
	return s.svc.Upgrades.UpgradeCandidates(r.Context(), f)
}

func (s *Server) upgradeTasks(w http.ResponseWriter, r *http.Request) (any, error) {
	var req kewei.UpgradeTasks
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return s.svc.Upgrades.CreateUpgradeTasks(r.Context(), req)
}
