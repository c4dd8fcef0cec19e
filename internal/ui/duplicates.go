package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type duplicatesPage struct {
	List      *kewei.List[*kewei.DuplicatePair]
	Merges    []*kewei.Merge
	NextQuery string
	Now       int64 // ms, to tell merges that can still be undone
}

// duplicatesPage shows pairs that look like one customer side by side, to
// merge or dismiss, and the recent merges, to undo.
func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := s.newPage(r, "dup.title", "customers")
	f := kewei.DuplicateFilter{Cursor: q.Get("cursor")}
	f.CustomerID, _ = strconv.ParseInt(q.Get("customer"), 10, 64)
	list, err := s.svc.Duplicates.FindDuplicates(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	merges, err := s.svc.Duplicates.FindMerges(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &duplicatesPage{List: list, Merges: merges, Now: s.opt.Now().UnixMilli()}
	if list.Next != "" {
		next := url.Values{"cursor": {list.Next}}
		if f.CustomerID != 0 {
			next.Set("customer", q.Get("customer"))
		}
		d.NextQuery = next.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "duplicates", p)
}

// duplicateMerge merges the pair as the form says: which to keep, at the
// versions shown.
func (s *Server) duplicateMerge(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	num := func(k string) int64 { n, _ := strconv.ParseInt(r.PostForm.Get(k), 10, 64); return n }
	req := kewei.MergeRequest{KeepID: num("keep_id"), KeepVersion: int(num("keep_version")), DropID: num("drop_id"),
		DropVersion: int(num("drop_version"))}
	if _, err := s.svc.Duplicates.MergeCustomers(r.Context(), req); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/duplicates?done=merged", http.StatusSeeOther)
}

func (s *Server) duplicateDismiss(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Duplicates.DismissDuplicate(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/duplicates?done=dismissed", http.StatusSeeOther)
}

func (s *Server) mergeUndo(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.Duplicates.UnmergeCustomers(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/duplicates?done=unmerged", http.StatusSeeOther)
}
