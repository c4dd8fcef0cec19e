package kewei

import (
	"context"
	"time"
)

// Recommendation is a product a customer is likely to buy next, with the
// reason for it.
type Recommendation struct {
	Product string  `json:"product"`
	Score   float64 `json:"score"`
	Kind    string  `json:"kind" doc:"again (they buy it again and again), also (customers who bought one of theirs bought it) or popular."`
	Times   int     `json:"times,omitempty" doc:"Days the customer bought it (again)."`
	Because string  `json:"because,omitempty" doc:"The customer's product that led to it (also)."`
	Share   float64 `json:"share,omitempty" doc:"The share of that product's buyers who bought this one too (also)."`
	Buyers  int     `json:"buyers,omitempty" doc:"Customers who bought it (popular)."`
}

// RecommenderRun is what one training of the recommender did.
type RecommenderRun struct {
	Customers int       `json:"customers"`
	Products  int       `json:"products"`
	Lines     int       `json:"lines"`
	At        time.Time `json:"at"`
	Took      string    `json:"took"`
}

// RecommendService recommends next purchases.
type RecommendService interface {
	// Recommend gives the customer's k likeliest next products; with
	// newOnly, none they bought before. A customer out of scope is not
	// found.
	Recommend(ctx context.Context, customerID int64, k int, newOnly bool) ([]Recommendation, error)
	// TrainRecommender learns from every purchase (administrators and
	// the nightly job).
	TrainRecommender(ctx context.Context) (*RecommenderRun, error)
}
