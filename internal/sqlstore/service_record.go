package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

var serviceTable = recordTable[kewei.ServiceRecord]{
	table: "service_records", what: "service record", dateCol: "performed_at",
	cols: `holding_id, kind, performed_at, summary, cost, user_id, note`,
	args: func(s *kewei.ServiceRecord) []any {
		return []any{s.HoldingID, s.Kind, ms(s.PerformedAt), s.Summary, s.Cost, nullID(s.UserID), s.Note}
	},
	selects: `r.holding_id, r.kind, r.performed_at, r.summary, r.cost, r.user_id, COALESCE(u.display_name, ''), r.note`,
	joins:   `LEFT JOIN users u ON u.id = r.user_id`,
	scan: func(s *kewei.ServiceRecord) []any {
		return []any{&s.HoldingID, &s.Kind, instant{&s.PerformedAt}, &s.Summary, &s.Cost, optID{&s.UserID}, &s.UserName, &s.Note}
	},
	meta: func(s *kewei.ServiceRecord) meta {
		return meta{&s.ID, &s.CustomerID, &s.CreatedAt, &s.UpdatedAt, &s.Version}
	},
	date:    func(s *kewei.ServiceRecord) time.Time { return s.PerformedAt },
	prepare: prepareService,
}

// prepareService fills who and when, and checks the holding is the
// customer's.
func prepareService(ctx context.Context, tx *Tx, s *kewei.ServiceRecord) error {
	if s.PerformedAt.IsZero() {
		s.PerformedAt = tx.now
	}
	s.PerformedAt = s.PerformedAt.UTC().Truncate(time.Millisecond)
	if s.UserID == 0 {
		s.UserID = kewei.ActorUserID(ctx)
	}
	if s.HoldingID != 0 {
		var owner int64
		found, err := tx.get(ctx, `SELECT customer_id FROM holdings WHERE id = ?`, []any{s.HoldingID}, &owner)
		if err != nil {
			return err
		}
		if !found || owner != s.CustomerID {
			var p kewei.Problems
			p.Add("holding_id", kewei.ReasonUnknownChoice, "is not one of this customer's holdings")
			return p.Err()
		}
	}
	if s.UserID != 0 {
		if _, err := tx.get(ctx, `SELECT display_name FROM users WHERE id = ?`, []any{s.UserID}, &s.UserName); err != nil {
			return err
		}
	}
	return nil
}
