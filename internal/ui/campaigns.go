package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

// campaignsPage shows every campaign's results over the user's customers,
// the sources of the period's new customers and, for administrators, a form
// to add a campaign.
func (s *Server) campaignsPage(w http.ResponseWriter, r *http.Request) {
	s.renderCampaigns(w, r, nil)
}

func (s *Server) renderCampaigns(w http.ResponseWriter, r *http.Request, formErr error) {
	p := s.newPage(r, "campaign.title", "events")
	q := r.URL.Query()
	loc := s.opt.Location
	to := s.opt.Now()
	from := to.AddDate(0, 0, -90)
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("from"), loc); err == nil {
		from = d
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("to"), loc); err == nil {
		to = d.AddDate(0, 0, 1)
	}
	rep, err := s.svc.Campaigns.CampaignReport(r.Context(), from, to)
	if kewei.ErrorCode(err) == kewei.EINVALID {
		formErrors(p, err)
		from, to = s.opt.Now().AddDate(0, 0, -90), s.opt.Now()
		rep, err = s.svc.Campaigns.CampaignReport(r.Context(), from, to)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form = q
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	if !p.Form.Has("from") {
		p.Form.Set("from", from.In(loc).Format(time.DateOnly))
		p.Form.Set("to", to.In(loc).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	p.Data = rep
	s.render(w, r, status, "campaigns", p)
}

// campaignCreate adds a campaign from the campaigns page.
func (s *Server) campaignCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	c := &kewei.Campaign{Name: f.Get("name"), Channel: f.Get("channel"), Note: f.Get("note")}
	var bad kewei.Problems
	var err error
	if c.Cost, err = kewei.ParseMoney(orZero(f.Get("cost"))); err != nil {
		bad.Add("cost", kewei.ReasonInvalidFormat, "an amount such as 12000.50")
	}
	for field, d := range map[string]*kewei.Date{"starts_on": &c.StartsOn, "ends_on": &c.EndsOn} {
		if v := f.Get(field); v != "" {
			if *d, err = kewei.ParseDate(v); err != nil {
				bad.Add(field, kewei.ReasonInvalidFormat, "a date such as 2026-12-01")
			}
		}
	}
	err = bad.Err()
	if err == nil {
		err = s.svc.Campaigns.CreateCampaign(r.Context(), c)
	}
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/campaigns?done=created", http.StatusSeeOther)
	case kewei.EINVALID:
		s.renderCampaigns(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// campaignAttribute records the campaign a customer came through, from the
// customer page.
func (s *Server) campaignAttribute(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	campaign, _ := strconv.ParseInt(r.PostForm.Get("campaign_id"), 10, 64)
	err = s.svc.Campaigns.Attribute(r.Context(), id, campaign)
	s.backToCustomer(w, r, id, err, "error.conflict")
}
