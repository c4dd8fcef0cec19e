package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// contractCreate records a contract from the customer page.
func (s *Server) contractCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	k := &kewei.Contract{CustomerID: id, Number: f.Get("ct_number"), Title: f.Get("ct_title")}
	k.OpportunityID, _ = strconv.ParseInt(f.Get("ct_opportunity_id"), 10, 64)
	var bad kewei.Problems
	if k.Amount, err = kewei.ParseMoney(orZero(f.Get("ct_amount"))); err != nil {
		bad.Add("amount", kewei.ReasonInvalidFormat, "an amount such as 12000.50")
	}
	for field, d := range map[string]*kewei.Date{"signed_on": &k.SignedOn, "starts_on": &k.StartsOn, "ends_on": &k.EndsOn} {
		if v := f.Get("ct_" + field); v != "" {
			if *d, err = kewei.ParseDate(v); err != nil {
				bad.Add(field, kewei.ReasonInvalidFormat, "a date such as 2026-12-01")
			}
		}
	}
	err = bad.Err()
	if err == nil {
		err = s.svc.Opportunities.CreateContract(r.Context(), k)
	}
	s.backToCustomer(w, r, id, prefixFields(err, "ct_"), "contract.conflict")
}

// contractStatus moves a contract on, from the customer page.
func (s *Server) contractStatus(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	customer, _ := strconv.ParseInt(r.PostForm.Get("customer_id"), 10, 64)
	var p kewei.Patch
	p.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
	p.Set("status", r.PostForm.Get("status"))
	_, err = s.svc.Opportunities.UpdateContract(r.Context(), id, p)
	s.backToCustomer(w, r, customer, err, "contract.conflict")
}
