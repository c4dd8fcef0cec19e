package ui

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// taskComplete marks a task done from the Today page, logging the
// interaction with what the user wrote.
func (s *Server) taskComplete(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Playbooks.CompleteTask(r.Context(), id, kewei.TaskCompletion{Summary: r.PostForm.Get("summary"),
			Outcome: r.PostForm.Get("outcome")})
	}
	s.taskDone(w, r, id, err, "task_done")
}

// taskSkip closes a task with the reason given.
func (s *Server) taskSkip(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Playbooks.SkipTask(r.Context(), id, r.PostForm.Get("reason"))
	}
	s.taskDone(w, r, id, err, "task_skipped")
}

func (s *Server) taskDone(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	switch kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/?done="+done, http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderToday(w, r, id, err)
	default:
		s.fail(w, r, err)
	}
}
