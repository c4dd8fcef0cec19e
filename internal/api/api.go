// Package api is Kewei's JSON REST API under /api/v1 and its OpenAPI 3.1
// document, generated from the route table and the handlers' Go types.
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
)

// Services are what the API calls; cmd/kewei wires the store in.
type Services = kewei.Services

// Options tune the API.
type Options struct {
	Logger *slog.Logger
	// Location turns dates in filters (created_from=2026-01-01) into
	// instants; the installation's time zone.
	Location *time.Location
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	// SessionTTL is how long the session cookie lives.
	SessionTTL time.Duration
	// RateLimit is how many requests a second one address may make (with
	// bursts of twice that); sign-in allows ten a minute. 0 turns limits off.
	RateLimit float64
	// Observe, when set, hears every answered request: its route, status
	// and time.
	Observe func(route string, status int, took time.Duration)
	// Metrics serves /metrics to administrators, and to scrapers that
	// send MetricsToken as a bearer token; none when nil.
	Metrics      http.Handler
	MetricsToken string
}

// Server serves the API.
type Server struct {
	svc         Services
	opt         Options
	routes      []Route
	mux         *http.ServeMux
	limit       *limiter // all requests, per address
	signInLimit *limiter // sign-in attempts, per address
}

// New returns the API with every route of Routes mounted.
func New(svc Services, opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	s := &Server{svc: svc, opt: opt, mux: http.NewServeMux()}
	if opt.RateLimit > 0 {
		s.limit = newLimiter(opt.RateLimit, 2*opt.RateLimit)
		s.signInLimit = newLimiter(10.0/60, 10)
	}
	s.routes = s.Routes()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	doc := s.OpenAPI()
	s.mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, doc)
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { // for JSON 404s
		s.writeError(w, r, kewei.Errorf(kewei.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path))
	})
	return s
}

// ServeHTTP gives the request an id and serves it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = withRequestID(w, r)
	if s.limited(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// RouteTable returns the mounted routes, for documentation and tests.
func (s *Server) RouteTable() []Route { return s.routes }
