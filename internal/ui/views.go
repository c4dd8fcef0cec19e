package ui

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// viewSave saves the list's current filters under a name.
func (s *Server) viewSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := &kewei.SavedView{Name: r.PostForm.Get("name"), Query: r.PostForm.Get("query")}
	if err := s.svc.Views.CreateView(r.Context(), v); err != nil {
		if kewei.ErrorCode(err) != kewei.EINVALID && kewei.ErrorCode(err) != kewei.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/customers?"+r.PostForm.Get("query"), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/customers?"+v.Query, http.StatusSeeOther)
}

func (s *Server) viewDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Views.DeleteView(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/customers", http.StatusSeeOther)
}
