package kewei

import "context"

// NextTier is the tier above t, or "" for A.
func NextTier(t Tier) Tier {
	switch t {
	case TierB:
		return TierA
	case TierC:
		return TierB
	case TierD:
		return TierC
	}
	return ""
}

// UpgradeProduct is a product the customers of the next tier buy more
// than those of a tier.
type UpgradeProduct struct {
	Product   string  `json:"product"`
	Share     float64 `json:"share" doc:"Of this tier's customers, the share who bought it."`
	NextShare float64 `json:"next_share" doc:"Of the next tier's customers, the share who bought it."`
}

// UpgradePath is, for one tier, what the customers one tier up buy that
// those of this tier do not.
type UpgradePath struct {
	Tier          Tier             `json:"tier"`
	Next          Tier             `json:"next"`
	Customers     int              `json:"customers"`
	NextCustomers int              `json:"next_customers"`
	Products      []UpgradeProduct `json:"products" doc:"Largest gap between the two shares first."`
}

// UpgradeCandidate is a customer close to the next tier under the rule
// that tiers them.
type UpgradeCandidate struct {
	CustomerID   int64    `json:"customer_id"`
	CustomerName string   `json:"customer_name"`
	OwnerID      int64    `json:"owner_id"`
	OwnerName    string   `json:"owner_name"`
	Tier         Tier     `json:"tier"`
	Next         Tier     `json:"next"`
	RuleID       int64    `json:"rule_id"`
	RuleName     string   `json:"rule_name"`
	Value        float64  `json:"value" doc:"The rule's measure: revenue or profit over its window, balance, or the field, in yuan."`
	Threshold    float64  `json:"threshold" doc:"Where the next tier begins: the band's minimum, or the lowest value now in the next tier (Pareto)."`
	Progress     float64  `json:"progress" doc:"value / threshold."`
	Missing      []string `json:"missing" doc:"Upgrade products of the tier they have not bought."`
}

// UpgradeFilter selects the candidates.
type UpgradeFilter struct {
	Tier  Tier  `query:"tier" doc:"Customers of this tier (B, C or D); all three when empty."`
	Owner int64 `query:"owner"`
	Limit int   `query:"limit" doc:"50 by default, at most 200."`
}

// UpgradeTasks asks for a call to each of some upgrade candidates.
type UpgradeTasks struct {
	CustomerIDs []int64 `json:"customer_ids"`
	DueOn       Date    `json:"due_on" doc:"Today when omitted."`
}

// UpgradeTasksResult says how many tasks were new.
type UpgradeTasksResult struct {
	Created int `json:"created" doc:"Customers already given an upgrade task for that day are not given another."`
}

// UpgradeService finds how customers move up a tier.
type UpgradeService interface {
	// UpgradePaths gives, for D, C and B, the products the next tier buys
	// more, from every customer's purchases (as of the last training).
	UpgradePaths(ctx context.Context) ([]UpgradePath, error)
	// UpgradeCandidates lists the customers in scope closest to the next
	// tier, the closest first.
	UpgradeCandidates(ctx context.Context, f UpgradeFilter) ([]*UpgradeCandidate, error)
	// CreateUpgradeTasks gives each candidate's owner a call about the
	// next tier, naming what to offer (managers and administrators, for
	// customers in their scope; audited).
	CreateUpgradeTasks(ctx context.Context, req UpgradeTasks) (*UpgradeTasksResult, error)
}
