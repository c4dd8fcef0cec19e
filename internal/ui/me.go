package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
)

type mePage struct {
	User     *kewei.User
	Tokens   []*kewei.APIToken
	NewToken string
	Calendar string // a new calendar feed's address, shown once
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) {
	s.renderMe(w, r, http.StatusOK, nil, "")
}

// renderMe shows the profile: language, password, API tokens.
func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, status int, formErr error, newToken string) {
	s.renderMeWithStatus(w, r, status, formErr, func(d *mePage) { d.NewToken = newToken })
}

func (s *Server) renderMeWith(w http.ResponseWriter, r *http.Request, fill func(*mePage)) {
	s.renderMeWithStatus(w, r, http.StatusOK, nil, fill)
}

func (s *Server) renderMeWithStatus(w http.ResponseWriter, r *http.Request, status int, formErr error, fill func(*mePage)) {
	ctx := r.Context()
	me := kewei.ActorUserID(ctx)
	u, err := s.svc.Users.FindUserByID(ctx, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokens, err := s.svc.Auth.FindTokens(ctx, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "me.title", "me")
	d := &mePage{User: u, Tokens: tokens}
	fill(d)
	p.Data = d
	if formErr != nil {
		formErrors(p, formErr)
	}
	s.render(w, r, status, "me", p)
}

func (s *Server) meLocale(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if err := s.saveLocale(r, i18n.Match(r.PostForm.Get("locale"))); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=saved", http.StatusSeeOther)
}

func (s *Server) mePassword(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	err := s.svc.Users.SetPassword(r.Context(), kewei.ActorUserID(r.Context()), r.PostForm.Get("current_password"),
		r.PostForm.Get("new_password"))
	if err != nil {
		if kewei.ErrorCode(err) != kewei.EINVALID {
			s.fail(w, r, err)
			return
		}
		s.renderMe(w, r, http.StatusBadRequest, err, "")
		return
	}
	http.Redirect(w, r, "/?done=password", http.StatusSeeOther)
}

func (s *Server) meTokenCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	token, _, err := s.svc.Auth.CreateToken(r.Context(), kewei.ActorUserID(r.Context()), r.PostForm.Get("name"), 0)
	if err != nil {
		if kewei.ErrorCode(err) != kewei.EINVALID {
			s.fail(w, r, err)
			return
		}
		s.renderMe(w, r, http.StatusBadRequest, err, "")
		return
	}
	// The token is shown once, on this page, and never again.
	s.renderMe(w, r, http.StatusOK, nil, token)
}

func (s *Server) meTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = s.svc.Auth.RevokeToken(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=saved", http.StatusSeeOther)
}

// meCalendar makes a new private calendar feed and shows its address once.
func (s *Server) meCalendar(w http.ResponseWriter, r *http.Request) {
	token, err := s.svc.Calendars.CreateCalendarFeed(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil || s.opt.SecureCookies {
		scheme = "https"
	}
	s.renderMeWith(w, r, func(d *mePage) { d.Calendar = scheme + "://" + r.Host + "/api/v1/calendar/" + token + ".ics" })
}
