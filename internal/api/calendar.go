package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/playbook"
)

// CalendarFeed is a new feed: its token, shown once, and its address.
type CalendarFeed struct {
	Token string `json:"token"`
	Path  string `json:"path" doc:"Subscribe to this path on the server in any calendar app; keep it private."`
}

func calendarRoutes(s *Server) []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/me/calendar", Tag: "playbooks", Summary: "Make my private calendar feed of tasks (a new one ends the old)",
			Access: AccessUser, Response: CalendarFeed{}, Status: http.StatusCreated, Serve: s.createCalendar},
		{Method: "GET", Path: "/api/v1/calendar/{token}", Tag: "playbooks",
			Summary: "A user's open tasks as an iCalendar feed; the secret token in the path is the only sign-in",
			Access:  AccessPublic, Produces: "text/calendar", Serve: s.calendar},
	}
}

func (s *Server) createCalendar(w http.ResponseWriter, r *http.Request) (any, error) {
	token, err := s.svc.Calendars.CreateCalendarFeed(r.Context())
	if err != nil {
		return nil, err
	}
	return &CalendarFeed{Token: token, Path: "/api/v1/calendar/" + token + ".ics"}, nil
}

func (s *Server) calendar(w http.ResponseWriter, r *http.Request) (any, error) {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	agenda, u, err := s.svc.Calendars.CalendarFeed(r.Context(), token)
	if err != nil {
		return nil, err
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	tr := cats.For(i18n.Match(u.Locale))
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	events := playbook.TaskEvents(agenda.Tasks, func(k kewei.InteractionKind) string { return tr.T("interaction." + string(k)) })
	events = append(events, playbook.VisitEvents(agenda.Visits, tr.T("visit.one"))...)
	return nil, playbook.WriteICS(w, tr.T("calendar.name", u.DisplayName), events, time.Now())
}
