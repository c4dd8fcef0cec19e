package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// referralCardPage is the printable card: the customer's copy and the
// archive copy, cut apart along the dashed line.
func (s *Server) referralCardPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.svc.Referrals.FindCard(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "referral.card_title", "customers")
	p.Data = k
	s.render(w, r, http.StatusOK, "referral_card", p)
}

// referralIssue issues a card from the customer page and opens it for
// printing.
func (s *Server) referralIssue(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.svc.Referrals.IssueCard(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/referral-cards/"+strconv.FormatInt(k.ID, 10)+"?done=created", http.StatusSeeOther)
}

// referralLink records the card a prospect came with, from their page.
func (s *Server) referralLink(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.svc.Referrals.LinkReferral(r.Context(), id, r.PostForm.Get("card_number"))
	s.backToCustomer(w, r, id, err, "referral.link_conflict")
}

// referralRedeem gives a referral's reward, from the referrer's page.
func (s *Server) referralRedeem(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	customer, _ := strconv.ParseInt(r.PostForm.Get("customer_id"), 10, 64)
	_, err = s.svc.Referrals.RedeemReward(r.Context(), id, r.PostForm.Get("reward"))
	s.backToCustomer(w, r, customer, err, "referral.redeem_conflict")
}

// backToCustomer shows the customer page after a change from it: again
// with the form's errors when the change was refused, a conflict told as
// conflictKey says.
func (s *Server) backToCustomer(w http.ResponseWriter, r *http.Request, id int64, err error, conflictKey string) {
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		r.SetPathValue("id", strconv.FormatInt(id, 10))
		p, perr := s.customerPage(r, "customer.title")
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		p.Form = r.PostForm
		formErrors(p, err)
		if kewei.ErrorCode(err) == kewei.ECONFLICT {
			p.Errors[strings.SplitN(conflictKey, ".", 2)[0]] = p.L.T(conflictKey)
		}
		s.render(w, r, http.StatusBadRequest, "customer", p)
	default:
		s.fail(w, r, err)
	}
}
