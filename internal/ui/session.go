package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
)

// Cookie names: the session is shared with the API.
const (
	sessionCookie = "kewei_session"
	langCookie    = "kewei_lang"
)

// auth runs h for a signed-in user and sends everyone else to sign in.
// Users still on a one-time password may only reach their profile.
func (s *Server) auth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var a *kewei.Actor
		if err == nil && c.Value != "" {
			a, err = s.svc.Auth.Authenticate(r.Context(), c.Value)
		}
		if a == nil || err != nil {
			next := ""
			if r.Method == http.MethodGet {
				next = "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, "/signin"+next, http.StatusSeeOther)
			return
		}
		a.RemoteAddr = r.RemoteAddr
		if a.MustChangePassword && !strings.HasPrefix(r.URL.Path, "/me") && r.URL.Path != "/signout" {
			http.Redirect(w, r, "/me", http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(kewei.WithActor(r.Context(), a)))
	})
}

// translator speaks the user's language; before sign-in, the language
// chosen on the sign-in page, else the browser's, else Chinese.
func (s *Server) translator(r *http.Request) *i18n.Translator {
	if a := kewei.ActorFrom(r.Context()); a != nil && a.Locale != "" {
		return s.cat.For(a.Locale)
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return s.cat.For(c.Value)
	}
	return s.cat.For(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")))
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "signin.title", "")
	p.Form.Set("next", safeNext(r.URL.Query().Get("next")))
	s.render(w, r, http.StatusOK, "signin", p)
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p := s.newPage(r, "signin.title", "")
	p.Form.Set("name", r.PostForm.Get("name"))
	p.Form.Set("next", r.PostForm.Get("next"))
	sess, err := s.svc.Auth.SignIn(r.Context(), kewei.SignIn{Name: r.PostForm.Get("name"), Password: r.PostForm.Get("password"),
		Code: r.PostForm.Get("code"), RemoteAddr: r.RemoteAddr, UserAgent: r.UserAgent()})
	if err != nil {
		status := http.StatusUnauthorized
		switch {
		case kewei.ErrorCode(err) == kewei.ETOOMANY:
			status, p.Errors[""] = http.StatusTooManyRequests, p.L.T("signin.wait", kewei.ErrorRetryAfter(err).Round(time.Second).String())
		case len(kewei.ErrorFields(err)) > 0: // the authenticator code is wanted
			p.Data, p.Errors[""] = true, p.L.T("signin.need_code")
		default:
			p.Errors[""] = p.L.T("signin.wrong")
		}
		s.render(w, r, status, "signin", p)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		_ = s.svc.Auth.SignOut(r.Context(), c.Value) // a new sign-in ends the old session
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/",
		MaxAge: int(sess.ExpiresAt.Sub(sess.CreatedAt).Seconds()), HttpOnly: true, Secure: s.opt.SecureCookies,
		SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.svc.Auth.SignOut(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.opt.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// setLocale remembers the language chosen in the footer: in a cookie, and
// for a signed-in user in their profile.
func (s *Server) setLocale(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	loc := i18n.Match(r.PostForm.Get("locale"))
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: loc, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.opt.SecureCookies, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	if c, err := r.Cookie(sessionCookie); err == nil {
		if a, err := s.svc.Auth.Authenticate(r.Context(), c.Value); err == nil {
			s.saveLocale(r.WithContext(kewei.WithActor(r.Context(), a)), loc)
		}
	}
	http.Redirect(w, r, safeNext(r.PostForm.Get("back")), http.StatusSeeOther)
}

func (s *Server) saveLocale(r *http.Request, loc string) error {
	ctx := r.Context()
	u, err := s.svc.Users.FindUserByID(ctx, kewei.ActorUserID(ctx))
	if err != nil {
		return err
	}
	var p kewei.Patch
	p.Version = u.Version
	p.Set("locale", loc)
	_, err = s.svc.Users.UpdateUser(ctx, u.ID, p)
	return err
}

// fail shows the page for a service error: not found, forbidden, or an
// internal error with the request's trace for the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var title string
	status := http.StatusInternalServerError
	switch kewei.ErrorCode(err) {
	case kewei.ENOTFOUND:
		title, status = "error.not_found", http.StatusNotFound
	case kewei.EFORBIDDEN:
		title, status = "error.forbidden", http.StatusForbidden
		_ = s.svc.Audit.RecordAccess(r.Context(), kewei.ActionDeny, "page", 0,
			map[string]string{"path": r.URL.Path, "message": kewei.ErrorMessage(err)})
	case kewei.EUNAUTHORIZED:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	case kewei.ETOOMANY, kewei.EUNAVAILABLE:
		title, status = "error.unavailable", http.StatusServiceUnavailable
	default:
		title = "error.internal"
		s.opt.Logger.Error("page failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error", s.newPage(r, title, ""))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error", s.newPage(r, "error.not_found", ""))
}

// formErrors puts a service's validation errors beside their fields, in the
// page's language; an error with no field goes at the top.
func formErrors(p *page, err error) {
	fields := kewei.ErrorFields(err)
	if len(fields) == 0 {
		var ke *kewei.Error
		if errors.As(err, &ke) {
			p.Errors[""] = p.L.T("error." + ke.Code)
		} else {
			p.Errors[""] = p.L.T("error.internal")
		}
		return
	}
	for _, f := range fields {
		msg := p.L.T("reason." + f.Reason)
		if !p.L.Has("reason." + f.Reason) {
			msg = f.Message
		}
		p.Errors[topField(f.Field)] = msg
	}
}

// topField maps a field path to the form input that holds it:
// phones[0].number to phone1, family[1].name to family; custom.budget stays.
func topField(f string) string {
	if rest, ok := strings.CutPrefix(f, "phones["); ok {
		if i, err := strconv.Atoi(rest[:strings.IndexByte(rest+"]", ']')]); err == nil {
			return "phone" + strconv.Itoa(i+1)
		}
	}
	if i := strings.IndexAny(f, "[."); i > 0 && !strings.HasPrefix(f, "custom.") {
		return f[:i]
	}
	return f
}
