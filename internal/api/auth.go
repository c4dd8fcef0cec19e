package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// SessionCookie is the name of the cookie that carries a browser's session.
const SessionCookie = "kewei_session"

// authenticate finds the actor from a bearer token or the session cookie.
func (s *Server) authenticate(r *http.Request) (*kewei.Actor, error) {
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, kewei.Errorf(kewei.EUNAUTHORIZED, "use the header Authorization: Bearer <token>")
		}
		token = strings.TrimSpace(t)
	} else if c, err := r.Cookie(SessionCookie); err == nil {
		token = c.Value
	}
	if token == "" {
		return nil, kewei.Errorf(kewei.EUNAUTHORIZED, "sign in first")
	}
	a, err := s.svc.Auth.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	a.RemoteAddr = r.RemoteAddr
	return a, nil
}

// SignInResult is what a successful sign-in returns.
type SignInResult struct {
	Token     string      `json:"token" doc:"The session token; browsers get it as a cookie too."`
	ExpiresAt time.Time   `json:"expires_at"`
	User      *kewei.User `json:"user"`
}

// SignInBody is what a user gives to sign in.
type SignInBody struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Code     string `json:"code,omitempty" doc:"The authenticator's code, for accounts that turned it on."`
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) (any, error) {
	var in SignInBody
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	sess, err := s.svc.Auth.SignIn(r.Context(), kewei.SignIn{Name: in.Name, Password: in.Password, Code: in.Code,
		RemoteAddr: r.RemoteAddr, UserAgent: r.UserAgent()})
	if err != nil {
		return nil, err
	}
	// A new sign-in ends the session the browser held before, so a session
	// id fixed by someone else never becomes a signed-in one.
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		_ = s.svc.Auth.SignOut(r.Context(), c.Value)
	}
	ctx := kewei.WithActor(r.Context(), &kewei.Actor{UserID: sess.UserID})
	u, err := s.svc.Users.FindUserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, s.sessionCookie(sess.Token, int(sess.ExpiresAt.Sub(sess.CreatedAt).Seconds())))
	return &SignInResult{Token: sess.Token, ExpiresAt: sess.ExpiresAt, User: u}, nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) (any, error) {
	token := ""
	if c, err := r.Cookie(SessionCookie); err == nil {
		token = c.Value
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if strings.HasPrefix(token, kewei.SessionTokenPrefix) {
		if err := s.svc.Auth.SignOut(r.Context(), token); err != nil {
			return nil, err
		}
	}
	http.SetCookie(w, s.sessionCookie("", -1))
	return nil, nil
}

// sessionCookie is HttpOnly and SameSite=Lax, Secure behind HTTPS, and
// lives maxAge seconds (negative: deleted now).
func (s *Server) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.opt.SecureCookies, SameSite: http.SameSiteLaxMode}
}
