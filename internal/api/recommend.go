package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// RecommendQuery asks for a customer's recommendations.
type RecommendQuery struct {
	K       int  `query:"k" doc:"How many; 10 by default, at most 50."`
	NewOnly bool `query:"new_only" doc:"Only products the customer never bought."`
}

func recommendRoutes(s *Server) []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/customers/{id}/recommendations", Tag: "recommendations",
			Summary: "The products the customer is likeliest to buy next, each with its reason",
			Access:  AccessCustomer, Query: RecommendQuery{}, Response: []kewei.Recommendation{}, Serve: s.recommendations},
		{Method: "POST", Path: "/api/v1/recommender/runs", Tag: "recommendations",
			Summary: "Retrain the recommender on every purchase now (administrators; serve does it nightly)",
			Access:  AccessAdmin, Response: kewei.RecommenderRun{}, Serve: s.trainRecommender},
	}
}

func (s *Server) recommendations(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var q RecommendQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	return s.svc.Recommendations.Recommend(r.Context(), id, q.K, q.NewOnly)
}

func (s *Server) trainRecommender(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Recommendations.TrainRecommender(r.Context())
}
