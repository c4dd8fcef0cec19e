package api

import (
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// PasswordChange changes the signed-in user's password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password" doc:"At least 10 characters."`
}

// PasswordReset sets another user's password (administrators); the user
// must change it at next sign-in.
type PasswordReset struct {
	NewPassword string `json:"new_password" doc:"At least 10 characters."`
}

// NewToken asks for an API token.
type NewToken struct {
	Name          string `json:"name" doc:"What the token is for."`
	ExpiresInDays int    `json:"expires_in_days" doc:"0 for a token that does not expire."`
}

// CreatedToken is a new API token; the secret is shown this once.
type CreatedToken struct {
	Token string          `json:"token" doc:"Send as Authorization: Bearer <token>. Shown only now."`
	Info  *kewei.APIToken `json:"info"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Users.FindUserByID(r.Context(), kewei.ActorUserID(r.Context()))
}

func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) (any, error) {
	var p kewei.Patch
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return s.svc.Users.UpdateUser(r.Context(), kewei.ActorUserID(r.Context()), p)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) (any, error) {
	var in PasswordChange
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, s.svc.Users.SetPassword(r.Context(), kewei.ActorUserID(r.Context()), in.CurrentPassword, in.NewPassword)
}

func (s *Server) myTokens(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Auth.FindTokens(r.Context(), kewei.ActorUserID(r.Context()))
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) (any, error) {
	var in NewToken
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.ExpiresInDays < 0 || in.ExpiresInDays > 3650 {
		var p kewei.Problems
		p.Add("expires_in_days", kewei.ReasonOutOfRange, "must be between 0 and 3650")
		return nil, p.Err()
	}
	token, info, err := s.svc.Auth.CreateToken(r.Context(), kewei.ActorUserID(r.Context()), in.Name,
		time.Duration(in.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return nil, err
	}
	return &CreatedToken{Token: token, Info: info}, nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Auth.RevokeToken(r.Context(), id)
}
