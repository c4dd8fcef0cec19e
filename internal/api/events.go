package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

func eventRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/events", Tag: "events", Summary: "Events, latest first, with invitations, replies, attendance, guests, leads and conversion in your scope",
			Access: AccessUser, Response: []*kewei.Event{}, Serve: s.listEvents},
		{Method: "POST", Path: "/api/v1/events", Tag: "events", Summary: "Add an event (administrators)",
			Access: AccessAdmin, Body: kewei.Event{}, Response: kewei.Event{}, Status: http.StatusCreated, Serve: s.createEvent},
		{Method: "GET", Path: "/api/v1/events/{id}", Tag: "events", Summary: "An event and its counts in your scope",
			Access: AccessUser, Response: kewei.Event{}, Serve: s.getEvent},
		{Method: "PATCH", Path: "/api/v1/events/{id}", Tag: "events", Summary: "Change an event (administrators)",
			Access: AccessAdmin, Body: kewei.Patch{}, PatchOf: kewei.Event{}, Response: kewei.Event{}, Serve: s.updateEvent},
		{Method: "POST", Path: "/api/v1/events/{id}/invitations", Tag: "events",
			Summary: "Invite the customers of an audience (tiers, stages, intents, tags) or a list, in your scope, on a channel; those who refused the channel or marketing are left out (audited)",
			Access:  AccessUser, Body: kewei.InviteRequest{}, Response: kewei.InviteResult{}, Serve: s.invite},
		{Method: "GET", Path: "/api/v1/events/{id}/invitations", Tag: "events", Summary: "The event's invitations of customers in your scope",
			Access: AccessUser, Response: []*kewei.Invitation{}, Serve: s.listInvitations},
		{Method: "PATCH", Path: "/api/v1/invitations/{id}", Tag: "events", Summary: "Record a reply, attendance or guests (audited)",
			Access: AccessRecord, Body: kewei.Patch{}, PatchOf: kewei.Invitation{}, Response: kewei.Invitation{}, Serve: s.updateInvitation},
		{Method: "POST", Path: "/api/v1/events/{id}/leads", Tag: "events",
			Summary: "Add a customer met at the event: yours, source event, and the event's campaign's lead",
			Access:  AccessData, Body: kewei.Customer{}, Response: kewei.Customer{}, Status: http.StatusCreated, Serve: s.addLead},
	}
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Events.FindEvents(r.Context())
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	var e kewei.Event
	if err := decode(r, &e); err != nil {
		return nil, err
	}
	if err := s.svc.Events.CreateEvent(r.Context(), &e); err != nil {
		return nil, err
	}
	return s.svc.Events.FindEvent(r.Context(), e.ID)
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Events.FindEvent(r.Context(), id)
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Events.UpdateEvent(r.Context(), id, p)
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in kewei.InviteRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return s.svc.Events.Invite(r.Context(), id, in)
}

func (s *Server) listInvitations(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Events.FindInvitations(r.Context(), id)
}

func (s *Server) updateInvitation(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Events.UpdateInvitation(r.Context(), id, p)
}

func (s *Server) addLead(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var c kewei.Customer
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	if err := s.svc.Events.AddLead(r.Context(), id, &c); err != nil {
		return nil, err
	}
	return s.svc.Customers.FindCustomerByID(r.Context(), c.ID)
}
