package api

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/kewei-crm/kewei"
)

func statusRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/metrics", Tag: "system",
			Summary: "Prometheus metrics: request latency by route, job queue, scheduled jobs, imports, scoring, database pools (administrators, or a scraper with KEWEI_METRICS_TOKEN as bearer token)",
			Access:  AccessPublic, Produces: "text/plain", Serve: s.metrics},
		{Method: "GET", Path: "/api/v1/status", Tag: "system",
			Summary: "The installation's status: version, uptime, schema, database pools, job queue, last runs of scheduled jobs (administrators)",
			Access:  AccessAdmin, Response: kewei.SystemStatus{}, Serve: s.status},
	}
}

// metrics checks the scraper's token, or an administrator's sign-in, and
// writes the metrics.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.opt.Metrics == nil {
		return nil, kewei.Errorf(kewei.ENOTFOUND, "metrics are not served by this process")
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	ok := s.opt.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.opt.MetricsToken)) == 1
	if !ok {
		a, err := s.authenticate(r)
		if err != nil {
			return nil, err
		}
		if !a.IsAdmin() {
			return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators, or a scraper with the metrics token, read the metrics")
		}
	}
	s.opt.Metrics.ServeHTTP(w, r)
	return nil, nil
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.svc.Status == nil {
		return nil, kewei.Errorf(kewei.EUNAVAILABLE, "no status in this process")
	}
	return s.svc.Status.Status(r.Context())
}
