package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

type auditPage struct {
	List      *kewei.List[*kewei.AuditEntry]
	Actions   []string
	NextQuery string
}

// auditPage lets auditors and administrators search the audit log; the
// service masks personal data in what it shows.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := s.newPage(r, "audit.title", "audit")
	p.Form = q
	f := kewei.AuditFilter{Action: q.Get("action"), ObjectType: q.Get("object_type"), Cursor: q.Get("cursor")}
	f.CustomerID, _ = strconv.ParseInt(q.Get("customer"), 10, 64)
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("from"), s.opt.Location); err == nil {
		f.From = t
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.Get("to"), s.opt.Location); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	list, err := s.svc.Audit.FindAudit(r.Context(), f)
	if err != nil {
		if kewei.ErrorCode(err) != kewei.EINVALID {
			s.fail(w, r, err)
			return
		}
		formErrors(p, err)
		list = &kewei.List[*kewei.AuditEntry]{}
	}
	d := &auditPage{List: list, Actions: kewei.AuditActions}
	if list.Next != "" {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", list.Next)
		d.NextQuery = next.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "audit", p)
}
