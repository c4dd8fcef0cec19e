package kewei

import (
	"context"
	"time"
)

// PoolSettings are the shared pool's rules: after how many days without
// contact a customer of each tier returns to the pool, how many customers
// one person may claim a day, and how long the previous owner must wait
// to claim one back.
type PoolSettings struct {
	Days        map[Tier]int `json:"days" doc:"Per tier, days without contact before the customer returns; a tier left out never returns."`
	ClaimCap    int          `json:"claim_cap" doc:"Customers one person may claim in 24 hours."`
	LockoutDays int          `json:"lockout_days" doc:"Days before the previous owner may claim the customer back."`
}

// Validate names every bad field.
func (s *PoolSettings) Validate() error {
	var p Problems
	for t, d := range s.Days {
		checkEnum(&p, "days", t, Tiers, true)
		if d < 1 || d > 3650 {
			p.Add("days", ReasonOutOfRange, "tier %s: days must be 1 to 3650", t)
		}
	}
	if s.ClaimCap < 1 || s.ClaimCap > 1000 {
		p.Add("claim_cap", ReasonOutOfRange, "must be 1 to 1000")
	}
	if s.LockoutDays < 0 || s.LockoutDays > 365 {
		p.Add("lockout_days", ReasonOutOfRange, "must be 0 to 365")
	}
	return p.Err()
}

// PoolEntry is a customer in the shared pool, as anyone who may claim it
// sees it: no contact details until claimed.
type PoolEntry struct {
	CustomerID      int64     `json:"customer_id"`
	Name            string    `json:"name"`
	Tier            Tier      `json:"tier"`
	Stage           Stage     `json:"stage"`
	Province        string    `json:"province"`
	City            string    `json:"city"`
	LastContactAt   time.Time `json:"last_contact_at"`
	PooledAt        time.Time `json:"pooled_at" doc:"When it returned to the pool; zero when it never had an owner."`
	PreviousOwnerID int64     `json:"previous_owner_id"`
}

// PoolService keeps the shared pool.
type PoolService interface {
	FindPoolSettings(ctx context.Context) (*PoolSettings, error)
	// SetPoolSettings saves the rules (administrators).
	SetPoolSettings(ctx context.Context, s *PoolSettings) error
	// ReturnToPool moves the customers the rules say were neglected into
	// the pool as of now (administrators and the system).
	ReturnToPool(ctx context.Context, now time.Time) (int, error)
	// FindPool lists the pool, newest returns first.
	FindPool(ctx context.Context, limit int) ([]*PoolEntry, error)
	// ClaimCustomer makes the signed-in user the customer's owner.
	ClaimCustomer(ctx context.Context, customerID int64) error
}
