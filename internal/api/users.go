package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// NewUser is a user to create, with a first password.
type NewUser struct {
	kewei.User
	Password string `json:"password" doc:"At least 10 characters; empty leaves the account unable to sign in until one is set."`
}

// UserQuery lists the user list's query parameters.
type UserQuery struct {
	Role            kewei.Role `query:"role"`
	IncludeDisabled bool       `query:"include_disabled"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	var q UserQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Users.FindUsers(r.Context(), kewei.UserFilter{Role: q.Role, IncludeDisabled: q.IncludeDisabled})
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Users.FindUserByID(r.Context(), id)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) (any, error) {
	var in NewUser
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.User.MustChangePassword = in.Password != ""
	if err := s.svc.Users.CreateUser(r.Context(), &in.User, in.Password); err != nil {
		return nil, err
	}
	return &in.User, nil
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) (any, error) {
	id, p, err := patchRequest(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Users.UpdateUser(r.Context(), id, p)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in PasswordReset
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, s.svc.Users.SetPassword(r.Context(), id, "", in.NewPassword)
}

func (s *Server) listCustomFields(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.CustomFields.FindCustomFields(r.Context())
}

func (s *Server) createCustomField(w http.ResponseWriter, r *http.Request) (any, error) {
	var f kewei.CustomField
	if err := decode(r, &f); err != nil {
		return nil, err
	}
	return &f, s.svc.CustomFields.CreateCustomField(r.Context(), &f)
}

func (s *Server) updateCustomField(w http.ResponseWriter, r *http.Request) (any, error) {
	id, p, err := patchRequest(r)
	if err != nil {
		return nil, err
	}
	return s.svc.CustomFields.UpdateCustomField(r.Context(), id, p)
}

func (s *Server) deleteCustomField(w http.ResponseWriter, r *http.Request) (any, error) {
	id, version, err := s.deleteRequest(r)
	if err != nil {
		return nil, err
	}
	return nil, s.svc.CustomFields.DeleteCustomField(r.Context(), id, version)
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status string `json:"status" enum:"ok"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) (any, error) {
	return Health{Status: "ok"}, nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := s.svc.Ready(r.Context()); err != nil {
		return nil, err
	}
	return Health{Status: "ok"}, nil
}
