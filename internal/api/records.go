package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// RecordQuery lists the query parameters of a customer's record list.
type RecordQuery struct {
	From   time.Time `query:"from" doc:"On the record's date; a date or an RFC 3339 time, inclusive."`
	To     time.Time `query:"to,end" doc:"A date, included whole, or an RFC 3339 time, excluded."`
	Cursor string    `query:"cursor"`
	Limit  int       `query:"limit"`
}

// recordRoutes returns the five routes of one kind of customer record: list
// and create under the customer, read, update and delete by id.
func recordRoutes[T any](s *Server, svc kewei.RecordService[T], plural, what string) []Route {
	var zero T
	base := "/api/v1/" + plural
	return []Route{
		{Method: "GET", Path: "/api/v1/customers/{id}/" + plural, Tag: plural, Summary: "List a customer's " + plural + ", newest first", Access: AccessCustomer,
			Query: RecordQuery{}, Response: kewei.List[*T]{}, Serve: func(w http.ResponseWriter, r *http.Request) (any, error) {
				id, err := pathID(r, "id")
				if err != nil {
					return nil, err
				}
				var q RecordQuery
				if err := decodeQuery(r, s.opt.Location, &q); err != nil {
					return nil, err
				}
				return svc.List(r.Context(), kewei.RecordFilter{CustomerID: id, From: q.From, To: q.To, Cursor: q.Cursor, Limit: q.Limit})
			}},
		{Method: "POST", Path: "/api/v1/customers/{id}/" + plural, Tag: plural, Summary: "Add " + article(what) + " to a customer", Access: AccessCustomer,
			Body: zero, Response: zero, Status: http.StatusCreated, Serve: func(w http.ResponseWriter, r *http.Request) (any, error) {
				id, err := pathID(r, "id")
				if err != nil {
					return nil, err
				}
				v := new(T)
				if err := decode(r, v); err != nil {
					return nil, err
				}
				if err := svc.Create(r.Context(), id, v); err != nil {
					return nil, err
				}
				return v, nil
			}},
		{Method: "GET", Path: base + "/{id}", Tag: plural, Summary: "Read " + article(what), Access: AccessRecord, Response: zero,
			Serve: func(w http.ResponseWriter, r *http.Request) (any, error) {
				id, err := pathID(r, "id")
				if err != nil {
					return nil, err
				}
				return svc.Find(r.Context(), id)
			}},
		{Method: "PATCH", Path: base + "/{id}", Tag: plural, Summary: "Change " + article(what) + " (merge patch with version)", Access: AccessRecord,
			Body: kewei.Patch{}, PatchOf: zero, Response: zero, Serve: func(w http.ResponseWriter, r *http.Request) (any, error) {
				id, p, err := patchRequest(r)
				if err != nil {
					return nil, err
				}
				return svc.Update(r.Context(), id, p)
			}},
		{Method: "DELETE", Path: base + "/{id}", Tag: plural, Summary: "Delete " + article(what), Access: AccessRecord, Query: DeleteQuery{},
			Serve: func(w http.ResponseWriter, r *http.Request) (any, error) {
				id, version, err := s.deleteRequest(r)
				if err != nil {
					return nil, err
				}
				return nil, svc.Delete(r.Context(), id, version)
			}},
	}
}

func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
