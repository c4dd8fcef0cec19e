package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// RewardList is the rewards a referral may earn.
type RewardList struct {
	Rewards []string `json:"rewards"`
}

func referralRoutes(s *Server) []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/customers/{id}/referral-cards", Tag: "referrals", Summary: "Issue the customer a numbered referral card (audited)",
			Access: AccessCustomer, Response: kewei.ReferralCard{}, Status: http.StatusCreated, Serve: s.issueCard},
		{Method: "GET", Path: "/api/v1/customers/{id}/advocacy", Tag: "referrals",
			Summary: "The customer's cards, the prospects they referred, how many bought, rewards given, and the card they came with",
			Access:  AccessCustomer, Response: kewei.Advocacy{}, Serve: s.advocacy},
		{Method: "POST", Path: "/api/v1/customers/{id}/referred-by", Tag: "referrals", Summary: "Record the card a prospect came with (audited)",
			Access: AccessCustomer, Body: kewei.LinkReferral{}, Response: kewei.Referral{}, Status: http.StatusCreated, Serve: s.linkReferral},
		{Method: "GET", Path: "/api/v1/referral-cards/{id}", Tag: "referrals", Summary: "A referral card with the consultant's details and its referrals",
			Access: AccessRecord, Response: kewei.ReferralCard{}, Serve: s.getCard},
		{Method: "POST", Path: "/api/v1/referrals/{id}/redeem", Tag: "referrals",
			Summary: "Give a referral's reward, once, after the prospect bought (audited; a second redemption is a 409)",
			Access:  AccessRecord, Body: kewei.RedeemReward{}, Response: kewei.Referral{}, Serve: s.redeemReward},
		{Method: "GET", Path: "/api/v1/referral-rewards", Tag: "referrals", Summary: "The non-cash rewards a referral may earn",
			Access: AccessUser, Response: RewardList{}, Serve: s.listRewards},
		{Method: "PUT", Path: "/api/v1/referral-rewards", Tag: "referrals", Summary: "Replace the rewards offered (administrators)",
			Access: AccessAdmin, Body: RewardList{}, Response: RewardList{}, Serve: s.setRewards},
	}
}

func (s *Server) issueCard(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Referrals.IssueCard(r.Context(), id)
}

func (s *Server) advocacy(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Referrals.Advocacy(r.Context(), id)
}

func (s *Server) linkReferral(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in kewei.LinkReferral
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return s.svc.Referrals.LinkReferral(r.Context(), id, in.CardNumber)
}

func (s *Server) getCard(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Referrals.FindCard(r.Context(), id)
}

func (s *Server) redeemReward(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	var in kewei.RedeemReward
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return s.svc.Referrals.RedeemReward(r.Context(), id, in.Reward)
}

func (s *Server) listRewards(w http.ResponseWriter, r *http.Request) (any, error) {
	l, err := s.svc.Referrals.RewardOptions(r.Context())
	return &RewardList{Rewards: l}, err
}

func (s *Server) setRewards(w http.ResponseWriter, r *http.Request) (any, error) {
	var in RewardList
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := s.svc.Referrals.SetRewardOptions(r.Context(), in.Rewards); err != nil {
		return nil, err
	}
	return s.listRewards(w, r)
}
