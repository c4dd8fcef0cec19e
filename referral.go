package kewei

import (
	"context"
	"time"
)

// DefaultReferralRewards are the non-cash rewards offered until an
// administrator sets others.
var DefaultReferralRewards = []string{"保养券", "精品附件"}

// ReferralCard is a numbered card issued to a customer to hand to friends:
// printed in two halves, the customer's copy and the archive copy, both
// carrying the consultant's details.
type ReferralCard struct {
	ID           int64       `json:"id" kewei:"readonly"`
	Number       string      `json:"number" kewei:"readonly" doc:"Printed on both halves, e.g. R000042."`
	CustomerID   int64       `json:"customer_id" kewei:"readonly" doc:"The customer who refers."`
	CustomerName string      `json:"customer_name" kewei:"readonly"`
	UserID       int64       `json:"user_id" kewei:"readonly" doc:"The consultant who issued the card."`
	UserName     string      `json:"user_name" kewei:"readonly"`
	UserPhone    string      `json:"user_phone" kewei:"readonly"`
	UserEmail    string      `json:"user_email" kewei:"readonly"`
	IssuedAt     time.Time   `json:"issued_at" kewei:"readonly"`
	Referrals    []*Referral `json:"referrals" kewei:"readonly"`
}

// Referral links a referred prospect to the card they came with.
type Referral struct {
	ID             int64     `json:"id" kewei:"readonly"`
	CardID         int64     `json:"card_id" kewei:"readonly"`
	CardNumber     string    `json:"card_number" kewei:"readonly"`
	ReferrerID     int64     `json:"referrer_id" kewei:"readonly"`
	ReferrerName   string    `json:"referrer_name" kewei:"readonly"`
	ProspectID     int64     `json:"prospect_id" kewei:"readonly"`
	ProspectName   string    `json:"prospect_name" kewei:"readonly"`
	LinkedAt       time.Time `json:"linked_at" kewei:"readonly"`
	Bought         bool      `json:"bought" kewei:"readonly" doc:"The prospect has bought since the card was issued."`
	Reward         string    `json:"reward" kewei:"readonly" doc:"The reward redeemed; empty until then."`
	RedeemedAt     time.Time `json:"redeemed_at" kewei:"readonly"`
	RedeemedByName string    `json:"redeemed_by_name" kewei:"readonly"`
}

// Advocacy is what a customer has done for the business by referring.
type Advocacy struct {
	Cards      []*ReferralCard `json:"cards"`
	Referred   int             `json:"referred" doc:"Prospects who came with the customer's cards."`
	Bought     int             `json:"bought" doc:"Of those, how many bought."`
	Redeemed   int             `json:"redeemed" doc:"Rewards given."`
	ReferredBy *Referral       `json:"referred_by,omitempty" doc:"The card this customer came with, if any."`
}

// LinkReferral names the card a prospect came with.
type LinkReferral struct {
	CardNumber string `json:"card_number"`
}

// RedeemReward names the reward given.
type RedeemReward struct {
	Reward string `json:"reward" doc:"One of the configured rewards."`
}

// ReferralService issues referral cards, links the prospects who bring
// them, and gives each referral's reward once.
type ReferralService interface {
	// IssueCard gives the customer a new numbered card, issued by the
	// signed-in user.
	IssueCard(ctx context.Context, customerID int64) (*ReferralCard, error)
	FindCard(ctx context.Context, id int64) (*ReferralCard, error)
	// LinkReferral records that the prospect came with the card; a
	// prospect comes with one card, never their own.
	LinkReferral(ctx context.Context, prospectID int64, cardNumber string) (*Referral, error)
	// RedeemReward gives the referral's reward once the prospect has
	// bought; a second redemption, even a concurrent one, is a conflict.
	RedeemReward(ctx context.Context, referralID int64, reward string) (*Referral, error)
	Advocacy(ctx context.Context, customerID int64) (*Advocacy, error)
	RewardOptions(ctx context.Context) ([]string, error)
	// SetRewardOptions replaces the rewards offered (administrators).
	SetRewardOptions(ctx context.Context, rewards []string) error
}
