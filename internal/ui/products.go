package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type productsPage struct {
	Products []*kewei.Product
	Edit     *kewei.Product // the product being edited, nil for a new one
}

// productsPage lists the catalogue; administrators add and change products
// (or import them from the imports page).
func (s *Server) productsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "product.title", "next")
	p.Form = r.URL.Query()
	s.renderProducts(w, r, p, nil, http.StatusOK)
}

func (s *Server) renderProducts(w http.ResponseWriter, r *http.Request, p *page, edit *kewei.Product, status int) {
	ps, err := s.svc.Products.FindProducts(r.Context(), kewei.ProductFilter{Query: r.URL.Query().Get("q"), Category: r.URL.Query().Get("category")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &productsPage{Products: ps, Edit: edit}
	s.render(w, r, status, "products", p)
}

// productEditPage shows the form for one product.
func (s *Server) productEditPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.notFound(w, r)
		return
	}
	pr, err := s.svc.Products.FindProduct(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "product.title", "next")
	p.Form = productForm(pr)
	s.renderProducts(w, r, p, pr, http.StatusOK)
}

func productForm(pr *kewei.Product) url.Values {
	f := url.Values{"code": {pr.Code}, "name": {pr.Name}, "category": {pr.Category}, "price": {pr.Price.String()},
		"purchase": {string(pr.Purchase)}, "life_months": {strconv.Itoa(pr.LifeMonths)}, "note": {pr.Note},
		"version": {strconv.Itoa(pr.Version)}}
	if pr.Active {
		f.Set("active", "on")
	}
	return f
}

// productSave adds a product, or changes the one in the path.
func (s *Server) productSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	pr := &kewei.Product{Code: f.Get("code"), Name: f.Get("name"), Category: f.Get("category"),
		Purchase: kewei.PurchaseKind(f.Get("purchase")), Note: f.Get("note"), Active: f.Get("active") == "on"}
	var bad kewei.Problems
	var err error
	if pr.Price, err = kewei.ParseMoney(orZero(f.Get("price"))); err != nil {
		bad.Add("price", kewei.ReasonInvalidFormat, "an amount such as 259800")
	}
	if pr.LifeMonths, err = strconv.Atoi(orZero(f.Get("life_months"))); err != nil {
		bad.Add("life_months", kewei.ReasonInvalidFormat, "a whole number of months")
	}
	err = bad.Err()
	var edit *kewei.Product
	if id, perr := pathID(r); perr == nil && err == nil {
		edit = &kewei.Product{ID: id}
		var patch kewei.Patch
		patch.Version, _ = strconv.Atoi(f.Get("version"))
		for k, v := range map[string]any{"code": pr.Code, "name": pr.Name, "category": pr.Category, "price": pr.Price,
			"purchase": pr.Purchase, "life_months": pr.LifeMonths, "active": pr.Active, "note": pr.Note} {
			patch.Set(k, v)
		}
		_, err = s.svc.Products.UpdateProduct(r.Context(), id, patch)
	} else if err == nil {
		err = s.svc.Products.CreateProduct(r.Context(), pr)
	}
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/products?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		p := s.newPage(r, "product.title", "next")
		p.Form = f
		formErrors(p, err)
		s.renderProducts(w, r, p, edit, http.StatusBadRequest)
	default:
		s.fail(w, r, err)
	}
}

// productDelete removes a product.
func (s *Server) productDelete(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if err := s.svc.Products.DeleteProduct(r.Context(), id, version); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/products?done=deleted", http.StatusSeeOther)
}

type duePage struct {
	Due    *kewei.List[*kewei.DueItem]
	Within int
}

// duePage lists who is due for replacement or renewal in the next days.
func (s *Server) duePage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "due.title", "next")
	q := r.URL.Query()
	p.Form = q
	within, _ := strconv.Atoi(q.Get("within"))
	if within <= 0 {
		within = 30
		p.Form.Set("within", "30")
	}
	f := kewei.DueFilter{Within: within, Overdue: q.Get("overdue") == "on", Category: q.Get("category"),
		Tier: kewei.Tier(q.Get("tier")), Cursor: q.Get("cursor"), Limit: 100, Today: kewei.Today(s.opt.Now(), s.opt.Location)}
	due, err := s.svc.Due.FindDue(r.Context(), f)
	if kewei.ErrorCode(err) == kewei.EINVALID {
		formErrors(p, err)
		f.Within, f.Cursor = 30, ""
		due, err = s.svc.Due.FindDue(r.Context(), f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &duePage{Due: due, Within: f.Within}
	s.render(w, r, http.StatusOK, "due", p)
}

type upgradesPage struct {
	Paths      []kewei.UpgradePath
	Candidates []*kewei.UpgradeCandidate
	Manager    bool
	Created    string
}

// upgradesPage shows, per tier, what the next tier buys, and the customers
// closest to it; a manager turns ticked ones into calls.
func (s *Server) upgradesPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "upgrade.title", "next")
	q := r.URL.Query()
	p.Form = q
	paths, err := s.svc.Upgrades.UpgradePaths(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cands, err := s.svc.Upgrades.UpgradeCandidates(r.Context(), kewei.UpgradeFilter{Tier: kewei.Tier(q.Get("tier")), Limit: 100})
	if kewei.ErrorCode(err) == kewei.EINVALID {
		formErrors(p, err)
		cands, err = s.svc.Upgrades.UpgradeCandidates(r.Context(), kewei.UpgradeFilter{Limit: 100})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &upgradesPage{Paths: paths, Candidates: cands, Manager: p.IsAdmin || p.Actor.Role == kewei.RoleManager,
		Created: q.Get("created")}
	s.render(w, r, http.StatusOK, "upgrades", p)
}

// upgradeTasks gives the ticked customers' owners a call about the next
// tier.
func (s *Server) upgradeTasks(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["customer"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	n := 0
	if len(ids) > 0 {
		res, err := s.svc.Upgrades.CreateUpgradeTasks(r.Context(), kewei.UpgradeTasks{CustomerIDs: ids})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		n = res.Created
	}
	http.Redirect(w, r, "/upgrades?created="+strconv.Itoa(n), http.StatusSeeOther)
}
