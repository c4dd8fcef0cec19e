package ui

import (
	"context"
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// customerValue adds the customer's tier, RFM, overrides and tier history.
func (s *Server) customerValue(ctx context.Context, p *page, d *customerPage, id int64) error {
	var err error
	if d.Value, err = s.svc.Tiers.FindCustomerValue(ctx, id); err != nil {
		return err
	}
	if d.Overrides, err = s.svc.Tiers.FindTierOverrides(ctx, id); err != nil {
		return err
	}
	hist, err := s.svc.Tiers.FindTierChanges(ctx, kewei.TierChangeFilter{CustomerID: id, Limit: 5})
	if err != nil {
		return err
	}
	d.TierHistory = hist.Items
	d.CanOverride = p.IsAdmin || p.Actor.Role == kewei.RoleManager
	d.Tiers = kewei.Tiers
	return nil
}

// customerTier pins the customer's tier by hand (managers and
// administrators); a refused form comes back with its message.
func (s *Server) customerTier(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o := &kewei.TierOverride{CustomerID: id, Tier: kewei.Tier(r.PostForm.Get("tier")), Reason: r.PostForm.Get("reason")}
	if o.ExpiresOn, err = kewei.ParseDate(r.PostForm.Get("expires_on")); err != nil {
		err = &kewei.Error{Code: kewei.EINVALID, Message: err.Error(),
			Fields: []kewei.FieldError{{Field: "expires_on", Reason: kewei.ReasonInvalidFormat, Message: err.Error()}}}
	} else {
		err = s.svc.Tiers.SetTierOverride(r.Context(), o)
	}
	if kewei.ErrorCode(err) == kewei.EINVALID {
		p, perr := s.customerPage(r, "customer.title")
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		p.Form = r.PostForm
		formErrors(p, err)
		s.render(w, r, http.StatusBadRequest, "customer", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=override", http.StatusSeeOther)
}

// customerTierLift ends the override in force.
func (s *Server) customerTierLift(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Tiers.EndTierOverride(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=lifted", http.StatusSeeOther)
}
