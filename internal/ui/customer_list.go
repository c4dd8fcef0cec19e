package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

type listSelect struct {
	Name     string
	Options  []string
	Selected string
}

type listPage struct {
	List      *kewei.List[*kewei.Customer]
	Selects   []listSelect
	Sorts     []string
	Views     []*kewei.SavedView
	Filtered  bool
	Query     string
	NextQuery string
}

// customerList lists and searches customers with the API's filters; what
// the user filtered by can be saved as a view.
func (s *Server) customerList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "customers.title", "customers")
	q := r.URL.Query()
	p.Form = q
	f, err := s.customerFilter(r, q)
	d := &listPage{List: &kewei.List[*kewei.Customer]{}, Sorts: []string{""}}
	for _, srt := range kewei.CustomerSorts {
		d.Sorts = append(d.Sorts, srt, "-"+srt)
	}
	d.Selects = []listSelect{
		{"stage", enumOf(kewei.Stages), q.Get("stage")}, {"tier", enumOf(kewei.Tiers), q.Get("tier")},
		{"intent", enumOf(kewei.Intents), q.Get("intent")}, {"source", enumOf(kewei.Sources), q.Get("source")},
		{"kind", enumOf(kewei.CustomerKinds), q.Get("kind")},
	}
	if err == nil {
		d.List, err = s.svc.Customers.FindCustomers(ctx, f)
	}
	if err != nil {
		if kewei.ErrorCode(err) != kewei.EINVALID {
			s.fail(w, r, err)
			return
		}
		formErrors(p, err)
		for f, msg := range p.Errors {
			if f != "" && p.Errors[""] == "" {
				p.Errors[""] = p.L.T("field."+f) + ": " + msg
			}
		}
		d.List = &kewei.List[*kewei.Customer]{}
	}
	if d.Views, err = s.svc.Views.FindViews(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	saved := url.Values{}
	for k, v := range q {
		if k != "cursor" && k != "done" && strings.Join(v, "") != "" {
			saved[k] = v
		}
	}
	d.Filtered, d.Query = len(saved) > 0, saved.Encode()
	if d.List.Next != "" {
		next := url.Values{}
		for k, v := range saved {
			next[k] = v
		}
		next.Set("cursor", d.List.Next)
		d.NextQuery = next.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "customers", p)
}

// customerFilter reads the list's form, with the API's meaning of each
// field.
func (s *Server) customerFilter(r *http.Request, q url.Values) (kewei.CustomerFilter, error) {
	f := kewei.CustomerFilter{Query: q.Get("q"), Kind: kewei.CustomerKind(q.Get("kind")), Tag: q.Get("tag"),
		Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	var p kewei.Problems
	pick := func(name string, allowed []string) []string {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		if !contains(allowed, v) {
			p.Add(name, kewei.ReasonUnknownChoice, "must be one of %s", strings.Join(allowed, ", "))
			return nil
		}
		return []string{v}
	}
	for _, v := range pick("stage", enumOf(kewei.Stages)) {
		f.Stages = append(f.Stages, kewei.Stage(v))
	}
	for _, v := range pick("tier", enumOf(kewei.Tiers)) {
		f.Tiers = append(f.Tiers, kewei.Tier(v))
	}
	for _, v := range pick("intent", enumOf(kewei.Intents)) {
		f.Intents = append(f.Intents, kewei.Intent(v))
	}
	for _, v := range pick("source", enumOf(kewei.Sources)) {
		f.Sources = append(f.Sources, kewei.Source(v))
	}
	f.Province, f.City, _ = strings.Cut(q.Get("region"), "/")
	switch o := q.Get("owner"); o {
	case "":
	case "me":
		id := kewei.ActorUserID(r.Context())
		f.OwnerID = &id
	case "none":
		f.OwnerID = new(int64)
	default:
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil {
			p.Add("owner", kewei.ReasonInvalidFormat, "must be a user id, me or none")
		}
		f.OwnerID = &id
	}
	if v := q.Get("never_contacted"); v == "true" {
		f.NeverContacted = true
	}
	if v := q.Get("created_from"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, s.opt.Location)
		if err != nil {
			p.Add("created_from", kewei.ReasonInvalidFormat, "must be a date")
		}
		f.CreatedFrom = t
	}
	return f, p.Err()
}

func enumOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pathID reads {id}; a malformed id is simply not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, kewei.Errorf(kewei.ENOTFOUND, "no such page")
	}
	return id, nil
}
