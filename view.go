package kewei

import (
	"context"
	"net/url"
	"time"
)

// SavedView is a user's named customer list: the filters, search and sort
// of the list as a query string, reopened with one click.
type SavedView struct {
	ID        int64     `json:"id" kewei:"readonly"`
	UserID    int64     `json:"user_id" kewei:"readonly"`
	Name      string    `json:"name"`
	Query     string    `json:"query" doc:"The list's query string, such as stage=customer&tier=A&sort=-last_contact_at."`
	CreatedAt time.Time `json:"created_at" kewei:"readonly"`
}

// Validate names every bad field; the query must parse, and a cursor is
// dropped since a view starts at the first page.
func (v *SavedView) Validate() error {
	var p Problems
	p.checkText("name", &v.Name, true, 50)
	q, err := url.ParseQuery(v.Query)
	if err != nil || len(v.Query) > 2000 {
		p.Add("query", ReasonInvalidFormat, "is not a list's query string")
	} else {
		q.Del("cursor")
		v.Query = q.Encode()
	}
	return p.Err()
}

// ViewService keeps each user's saved views; users see only their own.
type ViewService interface {
	// FindViews returns the signed-in user's views, by name.
	FindViews(ctx context.Context) ([]*SavedView, error)
	// CreateView saves a view for the signed-in user.
	CreateView(ctx context.Context, v *SavedView) error
	// DeleteView removes one of the signed-in user's views.
	DeleteView(ctx context.Context, id int64) error
}
