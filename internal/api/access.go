package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// Access says who may call a route. Every route names one; the
// authorization matrix test fails for a route that does not.
type Access string

// Kinds of access.
const (
	// AccessPublic routes need no sign-in.
	AccessPublic Access = "public"
	// AccessUser routes serve any signed-in user, about themselves or the
	// directory everyone shares (users, teams, field definitions).
	AccessUser Access = "user"
	// AccessAdmin routes change the installation: administrators only.
	AccessAdmin Access = "admin"
	// AccessCustomer routes act on the customer {id}, within the caller's
	// customers scope; outside it the customer is not found.
	AccessCustomer Access = "customer"
	// AccessRecord routes act on a contact, holding, transaction or
	// interaction {id}, within the scope of its customer.
	AccessRecord Access = "record"
	// AccessAuthor routes act on a record {id} the caller made, such as the
	// report of their own visit; others who see the record are refused,
	// others still find nothing.
	AccessAuthor Access = "author"
	// AccessList routes list customers, filtered to the caller's scope.
	AccessList Access = "list"
	// AccessAudit routes read the audit log: auditors and administrators.
	AccessAudit Access = "audit"
	// AccessData routes bring customers in or take them out — imports,
	// exports, duplicates — for anyone whose role sees customers, within
	// their scope; others are refused.
	AccessData Access = "data"
	// AccessManager routes act on the customer {id} (or the record {id},
	// such as a visit report to review) for managers and administrators,
	// within their scope; other roles are refused.
	AccessManager Access = "manager"
	// AccessTeam routes act on users: administrators for anyone, managers
	// for the users of their own teams; others are refused.
	AccessTeam Access = "team"
	// AccessLead routes act on customers named in the body, for managers
	// and administrators within their scope (a customer outside it is not
	// found); other roles are refused.
	AccessLead Access = "lead"
)

// RevealBody names the field to reveal.
type RevealBody struct {
	Field string `json:"field" doc:"phones, email, wechat, address, birthday, family, or custom.KEY of a sensitive custom field."`
}

// Revealed is a field shown unmasked.
type Revealed struct {
	Field string `json:"field"`
	Value any    `json:"value"`
}

func (s *Server) reveal(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in RevealBody
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	v, err := s.svc.Customers.RevealCustomerField(r.Context(), id, in.Field)
	if err != nil {
		return nil, err
	}
	return &Revealed{Field: in.Field, Value: v}, nil
}

func (s *Server) listConsents(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Privacy.FindConsents(r.Context(), id)
}

func (s *Server) recordConsent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var c kewei.Consent
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	return &c, s.svc.Privacy.RecordConsent(r.Context(), id, &c)
}

func (s *Server) exportPerson(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	out, err := s.svc.Privacy.ExportPerson(r.Context(), id)
	if err != nil {
		return nil, err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+r.PathValue("id")+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	return out, nil
}

// EraseBody says why a person is erased.
type EraseBody struct {
	Reason string `json:"reason" doc:"Their request, a retention rule, … — kept in the audit log."`
}

func (s *Server) erasePerson(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in EraseBody
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, s.svc.Privacy.ErasePerson(r.Context(), id, in.Reason)
}

// AuditQuery lists the audit log's query parameters.
type AuditQuery struct {
	Actor      int64     `query:"actor" doc:"A user id."`
	Action     string    `query:"action"`
	ObjectType string    `query:"object_type"`
	ObjectID   int64     `query:"object_id"`
	Customer   int64     `query:"customer" doc:"Entries about this customer."`
	From       time.Time `query:"from"`
	To         time.Time `query:"to,end"`
	Cursor     string    `query:"cursor"`
	Limit      int       `query:"limit"`
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) (any, error) {
	var q AuditQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Audit.FindAudit(r.Context(), kewei.AuditFilter{ActorID: q.Actor, Action: q.Action, ObjectType: q.ObjectType,
		ObjectID: q.ObjectID, CustomerID: q.Customer, From: q.From, To: q.To, Cursor: q.Cursor, Limit: q.Limit})
}

func (s *Server) listScopes(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Access.FindScopes(r.Context())
}

func (s *Server) setScope(w http.ResponseWriter, r *http.Request) (any, error) {
	var rule kewei.ScopeRule
	if err := decode(r, &rule); err != nil {
		return nil, err
	}
	return &rule, s.svc.Access.SetScope(r.Context(), rule)
}

func (s *Server) listViews(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Views.FindViews(r.Context())
}

func (s *Server) createView(w http.ResponseWriter, r *http.Request) (any, error) {
	var v kewei.SavedView
	if err := decode(r, &v); err != nil {
		return nil, err
	}
	return &v, s.svc.Views.CreateView(r.Context(), &v)
}

func (s *Server) deleteView(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Views.DeleteView(r.Context(), id)
}
