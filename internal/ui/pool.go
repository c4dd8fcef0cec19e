package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type poolPage struct {
	Entries  []*kewei.PoolEntry
	Settings *kewei.PoolSettings
	Tiers    []kewei.Tier
}

// poolPage lists the shared pool with a claim button on each customer;
// administrators also set its rules here.
func (s *Server) poolPage(w http.ResponseWriter, r *http.Request) {
	s.renderPool(w, r, nil)
}

func (s *Server) renderPool(w http.ResponseWriter, r *http.Request, formErr error) {
	ctx := r.Context()
	entries, err := s.svc.Pool.FindPool(ctx, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.svc.Pool.FindPoolSettings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "pool.title", "pool")
	p.Data = &poolPage{Entries: entries, Settings: ps, Tiers: kewei.Tiers}
	status := http.StatusOK
	if formErr != nil {
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "pool", p)
}

// poolClaim makes the user the customer's owner, then opens the customer.
func (s *Server) poolClaim(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Pool.ClaimCustomer(r.Context(), id)
	}
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=claimed", http.StatusSeeOther)
	case kewei.ECONFLICT:
		s.renderPool(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// poolSettings saves the rules: days per tier (blank: never), cap, lock-out.
func (s *Server) poolSettings(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	ps := &kewei.PoolSettings{Days: map[kewei.Tier]int{}}
	for _, t := range kewei.Tiers {
		if v := r.PostForm.Get("days_" + string(t)); v != "" {
			ps.Days[t], _ = strconv.Atoi(v)
			if ps.Days[t] == 0 {
				ps.Days[t] = -1 // not a number: refused by the rules' check
			}
		}
	}
	ps.ClaimCap, _ = strconv.Atoi(r.PostForm.Get("claim_cap"))
	ps.LockoutDays, _ = strconv.Atoi(r.PostForm.Get("lockout_days"))
	switch err := s.svc.Pool.SetPoolSettings(r.Context(), ps); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/pool?done=saved", http.StatusSeeOther)
	case kewei.EINVALID:
		s.renderPool(w, r, err)
	default:
		s.fail(w, r, err)
	}
}
