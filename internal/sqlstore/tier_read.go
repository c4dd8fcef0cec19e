package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// CustomerIDs lists every customer in id order; administrators and the
// system only, since it ignores scopes.
func (s *TierService) CustomerIDs(ctx context.Context) ([]int64, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var out []int64
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		// Any index holds the ids, narrower than the table; Go sorts them.
		out, err = tx.ids(ctx, `SELECT id FROM customers`)
		slices.Sort(out)
		return err
	})
	return out, err
}

// SumPurchases sums every customer's transactions in [since, until), in
// customer order: one pass over the transactions for both the Pareto rules
// and RFM.
func (s *TierService) SumPurchases(ctx context.Context, since, until time.Time) ([]kewei.PurchaseSum, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var out []kewei.PurchaseSum
	err := s.db.readTx(ctx, func(tx *Tx) error {
		q := `SELECT customer_id, CAST(SUM(amount) AS BIGINT), CAST(SUM(COALESCE(profit, 0)) AS BIGINT), COUNT(*), MAX(occurred_at) FROM transactions`
		args := []any{ms(until)}
		if since.IsZero() {
			q += ` WHERE occurred_at < ?`
		} else {
			q += ` WHERE occurred_at < ? AND occurred_at >= ?`
			args = append(args, ms(since))
		}
		rows, err := tx.query(ctx, q+` GROUP BY customer_id ORDER BY customer_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, revenue, profit, count, last int64
			if err := rows.Scan(&id, &revenue, &profit, &count, &last); err != nil {
				return err
			}
			out = append(out, kewei.PurchaseSum{CustomerID: id, Revenue: kewei.Money(revenue), Profit: kewei.Money(profit),
				Count: int(count), Last: fromMS(last)})
		}
		return rows.Err()
	})
	return out, err
}

// Balances sums each customer's active holdings, of one category or all.
func (s *TierService) Balances(ctx context.Context, category string) (map[int64]kewei.Money, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	out := map[int64]kewei.Money{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		q, args := `SELECT customer_id, CAST(SUM(value) AS BIGINT) FROM holdings WHERE status = ?`, []any{kewei.HoldingActive}
		if category != "" {
			q += ` AND category = ?`
			args = append(args, category)
		}
		rows, err := tx.query(ctx, q+` GROUP BY customer_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m kewei.Money
			if err := rows.Scan(&id, &m); err != nil {
				return err
			}
			out[id] = m
		}
		return rows.Err()
	})
	return out, err
}

// FieldNumbers reads a number custom field of every customer who has one.
func (s *TierService) FieldNumbers(ctx context.Context, key string) (map[int64]float64, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	out := map[int64]float64{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, custom FROM customers WHERE custom <> '{}'`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var raw string
			if err := rows.Scan(&id, &raw); err != nil {
				return err
			}
			var m map[string]any
			if json.Unmarshal([]byte(raw), &m) != nil {
				continue
			}
			if v, ok := m[key].(float64); ok {
				out[id] = v
			}
		}
		return rows.Err()
	})
	return out, err
}

// FindPurchases streams every transaction before until in customer order;
// administrators and the system only.
func (s *TierService) FindPurchases(ctx context.Context, until time.Time, each func(customerID int64, at time.Time, amount kewei.Money) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT customer_id, occurred_at, amount FROM transactions WHERE occurred_at < ? ORDER BY customer_id, occurred_at`, ms(until))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var at time.Time
			var amt kewei.Money
			if err := rows.Scan(&id, instant{&at}, &amt); err != nil {
				return err
			}
			if err := each(id, at, amt); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}
