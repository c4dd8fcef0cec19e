package ui

import "net/http"

// statusPage shows administrators how the installation is doing.
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	if s.svc.Status == nil {
		s.notFound(w, r)
		return
	}
	st, err := s.svc.Status.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.status", "admin")
	p.Data = st
	s.render(w, r, http.StatusOK, "status", p)
}
