package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// CustomerQuery lists the customer list's query parameters.
type CustomerQuery struct {
	Q               string             `query:"q" doc:"Search by name (any part, in Chinese), full pinyin (zhangsan), pinyin initials (zs), phone (whole, leading digits, or the last four), email, WeChat id or company."`
	Owner           string             `query:"owner" doc:"A user id, me, or none for customers in the shared pool."`
	Kind            kewei.CustomerKind `query:"kind"`
	Tier            []kewei.Tier       `query:"tier" doc:"Comma-separated, e.g. A,B."`
	Stage           []kewei.Stage      `query:"stage" doc:"Comma-separated."`
	Intent          []kewei.Intent     `query:"intent" doc:"Comma-separated, e.g. H,A."`
	Source          []kewei.Source     `query:"source" doc:"Comma-separated."`
	Region          string             `query:"region" doc:"A province, or province/city: 广东省/深圳市."`
	Tag             string             `query:"tag"`
	CreatedFrom     time.Time          `query:"created_from" doc:"A date (in the installation's zone) or an RFC 3339 time; inclusive."`
	CreatedTo       time.Time          `query:"created_to,end" doc:"A date, included whole, or an RFC 3339 time, excluded."`
	LastContactFrom time.Time          `query:"last_contact_from"`
	LastContactTo   time.Time          `query:"last_contact_to,end" doc:"Customers last contacted before this, including those never contacted."`
	NeverContacted  bool               `query:"never_contacted"`
	Sort            customerSort       `query:"sort" doc:"A column, with - first for descending; -created_at by default."`
	Cursor          string             `query:"cursor" doc:"The next value of the previous page."`
	Limit           int                `query:"limit" doc:"Page size, 20 by default, at most 200."`
}

type customerSort string

func (customerSort) Enum() []string {
	var out []string
	for _, s := range kewei.CustomerSorts {
		out = append(out, s, "-"+s)
	}
	return out
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) (any, error) {
	var q CustomerQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	f, err := q.filter(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Customers.FindCustomers(r.Context(), f)
}

// filter turns the query into the service's filter.
func (q *CustomerQuery) filter(r *http.Request) (kewei.CustomerFilter, error) {
	f := kewei.CustomerFilter{Query: q.Q, Kind: q.Kind, Tiers: q.Tier, Stages: q.Stage, Intents: q.Intent,
		Sources: q.Source, Tag: q.Tag, CreatedFrom: q.CreatedFrom, CreatedTo: q.CreatedTo,
		LastContactFrom: q.LastContactFrom, LastContactTo: q.LastContactTo, NeverContacted: q.NeverContacted,
		Sort: string(q.Sort), Cursor: q.Cursor, Limit: q.Limit}
	f.Province, f.City, _ = strings.Cut(q.Region, "/")
	switch q.Owner {
	case "":
	case "me":
		id := kewei.ActorUserID(r.Context())
		f.OwnerID = &id
	case "none":
		f.OwnerID = new(int64)
	default:
		id, err := strconv.ParseInt(q.Owner, 10, 64)
		if err != nil || id <= 0 {
			var p kewei.Problems
			p.Add("owner", kewei.ReasonInvalidFormat, "must be a user id, me or none")
			return f, p.Err()
		}
		f.OwnerID = &id
	}
	return f, nil
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Customers.FindCustomerByID(r.Context(), id)
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) (any, error) {
	var c kewei.Customer
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	if err := s.svc.Customers.CreateCustomer(r.Context(), &c); err != nil {
		return nil, err
	}
	w.Header().Set("Location", "/api/v1/customers/"+strconv.FormatInt(c.ID, 10))
	return &c, nil
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) (any, error) {
	id, p, err := patchRequest(r)
	if err != nil {
		return nil, err
	}
	return s.svc.Customers.UpdateCustomer(r.Context(), id, p)
}

func (s *Server) deleteCustomer(w http.ResponseWriter, r *http.Request) (any, error) {
	id, version, err := s.deleteRequest(r)
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Customers.DeleteCustomer(r.Context(), id, version)
}

// TimelineQuery lists the timeline's query parameters.
type TimelineQuery struct {
	Kind   []string `query:"kind" doc:"Comma-separated: interaction, transaction, holding, contact, created."`
	Cursor string   `query:"cursor"`
	Limit  int      `query:"limit"`
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var q TimelineQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Timeline.FindTimeline(r.Context(), kewei.TimelineFilter{CustomerID: id, Kinds: q.Kind,
		Cursor: q.Cursor, Limit: q.Limit})
}

// DeleteQuery carries the version a delete expects.
type DeleteQuery struct {
	Version int `query:"version" doc:"The version you last read; required."`
}

func (s *Server) deleteRequest(r *http.Request) (int64, int, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	var q DeleteQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return 0, 0, err
	}
	if q.Version <= 0 {
		var p kewei.Problems
		p.Add("version", kewei.ReasonRequired, "send ?version= with the version you last read")
		return 0, 0, p.Err()
	}
	return id, q.Version, nil
}

func patchRequest(r *http.Request) (int64, kewei.Patch, error) {
	var p kewei.Patch
	id, err := pathID(r, "id")
	if err != nil {
		return 0, p, err
	}
	return id, p, decode(r, &p)
}
