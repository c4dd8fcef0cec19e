package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// PurchaseService streams purchases to the recommender.
type PurchaseService struct{ db *DB }

// NewPurchaseService returns the purchase reader of db.
func NewPurchaseService(db *DB) *PurchaseService { return &PurchaseService{db: db} }

// EachPurchase calls fn with every transaction that names a product, each
// customer's together (in the order of the customer index), in one read
// transaction (administrators and the system).
func (s *PurchaseService) EachPurchase(ctx context.Context, fn func(customerID int64, product string, at time.Time) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT customer_id, product, occurred_at FROM transactions WHERE product <> '' ORDER BY customer_id`, nil, func(r scanner) error {
			var id, at int64
			var product string
			if err := r.Scan(&id, &product, &at); err != nil {
				return err
			}
			return fn(id, product, time.UnixMilli(at).UTC())
		})
	})
}

// EachTier calls fn with every customer's tier (administrators and the
// system).
func (s *PurchaseService) EachTier(ctx context.Context, fn func(customerID int64, tier kewei.Tier) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT id, tier FROM customers WHERE tier <> ''`, nil, func(r scanner) error {
			var id int64
			var t kewei.Tier
			if err := r.Scan(&id, &t); err != nil {
				return err
			}
			return fn(id, t)
		})
	})
}
