package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Teams.FindTeams(r.Context())
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) (any, error) {
	var t kewei.Team
	if err := decode(r, &t); err != nil {
		return nil, err
	}
	return &t, s.svc.Teams.CreateTeam(r.Context(), &t)
}

func (s *Server) updateTeam(w http.ResponseWriter, r *http.Request) (any, error) {
	id, p, err := patchRequest(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Teams.UpdateTeam(r.Context(), id, p)
}

func (s *Server) deleteTeam(w http.ResponseWriter, r *http.Request) (any, error) {
	id, version, err := s.deleteRequest(r)
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Teams.DeleteTeam(r.Context(), id, version)
}

// TOTPStart is a new authenticator secret, shown once.
type TOTPStart struct {
	Secret string `json:"secret" doc:"Type it into the authenticator app, or scan the URL as a QR code."`
	URL    string `json:"url"`
}

// TOTPCode carries a code from the authenticator.
type TOTPCode struct {
	Code string `json:"code"`
}

func (s *Server) startTOTP(w http.ResponseWriter, r *http.Request) (any, error) {
	secret, url, err := s.svc.Auth.StartTOTP(r.Context())
	if err != nil {
		return nil, err
	}
	return &TOTPStart{Secret: secret, URL: url}, nil
}

func (s *Server) enableTOTP(w http.ResponseWriter, r *http.Request) (any, error) {
	var in TOTPCode
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, s.svc.Auth.EnableTOTP(r.Context(), in.Code)
}

func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request) (any, error) {
	var in TOTPCode
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, s.svc.Auth.DisableTOTP(r.Context(), in.Code)
}
