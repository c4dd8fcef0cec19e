package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

type eventsPage struct {
	Events    []*kewei.Event
	Campaigns []*kewei.Campaign
}

// eventsPage lists the events with their funnels and, for administrators,
// a form to add one.
func (s *Server) eventsPage(w http.ResponseWriter, r *http.Request) {
	s.renderEvents(w, r, nil)
}

func (s *Server) renderEvents(w http.ResponseWriter, r *http.Request, formErr error) {
	events, err := s.svc.Events.FindEvents(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	campaigns, err := s.svc.Campaigns.FindCampaigns(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "event.title", "events")
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	p.Data = &eventsPage{Events: events, Campaigns: campaigns}
	s.render(w, r, status, "events", p)
}

// eventCreate adds an event from the events page.
func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	e := &kewei.Event{Name: f.Get("name"), Kind: f.Get("kind"), Place: f.Get("place"), Note: f.Get("note")}
	e.Capacity, _ = strconv.Atoi(orZero(f.Get("capacity")))
	e.CampaignID, _ = strconv.ParseInt(orZero(f.Get("campaign_id")), 10, 64)
	if at, err := time.ParseInLocation("2006-01-02T15:04", f.Get("starts_at"), s.opt.Location); err == nil {
		e.StartsAt = at
	}
	err := s.svc.Events.CreateEvent(r.Context(), e)
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/events/"+strconv.FormatInt(e.ID, 10)+"?done=created", http.StatusSeeOther)
	case kewei.EINVALID:
		s.renderEvents(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

type eventPage struct {
	Event       *kewei.Event
	Invitations []*kewei.Invitation
	Result      *kewei.InviteResult
}

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) {
	s.renderEvent(w, r, nil, nil)
}

func (s *Server) renderEvent(w http.ResponseWriter, r *http.Request, res *kewei.InviteResult, formErr error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.svc.Events.FindEvent(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	invs, err := s.svc.Events.FindInvitations(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "event.title", "events")
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	p.Data = &eventPage{Event: e, Invitations: invs, Result: res}
	s.render(w, r, status, "event", p)
}

// eventInvite invites an audience from the event page and shows what the
// round did.
func (s *Server) eventInvite(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	req := kewei.InviteRequest{Channel: kewei.Channel(f.Get("channel"))}
	for _, t := range f["tier"] {
		req.Audience.Tiers = append(req.Audience.Tiers, kewei.Tier(t))
	}
	for _, st := range f["stage"] {
		req.Audience.Stages = append(req.Audience.Stages, kewei.Stage(st))
	}
	res, err := s.svc.Events.Invite(r.Context(), id, req)
	switch kewei.ErrorCode(err) {
	case "":
		s.renderEvent(w, r, res, nil)
	case kewei.EINVALID:
		s.renderEvent(w, r, nil, err)
	default:
		s.fail(w, r, err)
	}
}

// invitationSave records a reply, attendance and guests from the event page.
func (s *Server) invitationSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var p kewei.Patch
	p.Version, _ = strconv.Atoi(f.Get("version"))
	guests, _ := strconv.Atoi(orZero(f.Get("guests")))
	p.Set("reply", f.Get("reply"))
	p.Set("attended", f.Get("attended") == "1")
	p.Set("guests", guests)
	event := f.Get("event_id")
	switch _, err := s.svc.Events.UpdateInvitation(r.Context(), id, p); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/events/"+event+"?done=saved#invitations", http.StatusSeeOther)
	case kewei.ECONFLICT, kewei.EINVALID:
		http.Redirect(w, r, "/events/"+event+"?done=conflict#invitations", http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}

// eventLead adds a customer met at the event, from the event page.
func (s *Server) eventLead(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := &kewei.Customer{Name: r.PostForm.Get("lead_name")}
	if ph := r.PostForm.Get("lead_phone"); ph != "" {
		c.Phones = []kewei.Phone{{Number: ph}}
	}
	switch err := s.svc.Events.AddLead(r.Context(), id, c); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/customers/"+strconv.FormatInt(c.ID, 10)+"?done=created", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderEvent(w, r, nil, prefixFields(err, "lead_"))
	default:
		s.fail(w, r, err)
	}
}
