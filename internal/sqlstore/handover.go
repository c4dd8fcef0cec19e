package sqlstore

import (
	"context"
	"slices"

	"github.com/kewei-crm/kewei"
)

// HandoverService moves a leaving owner's customers to another user.
type HandoverService struct{ db *DB }

// NewHandoverService returns the handover service of db.
func NewHandoverService(db *DB) *HandoverService { return &HandoverService{db: db} }

var _ kewei.HandoverService = (*HandoverService)(nil)

// HandOver moves the customers, their search keys by owner and the open
// tasks in one transaction, with one audit entry listing the customers.
func (s *HandoverService) HandOver(ctx context.Context, req kewei.HandoverRequest) (*kewei.Handover, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var p kewei.Problems
	if req.FromUserID == 0 {
		p.Add("from_user_id", kewei.ReasonRequired, "name the user whose customers move")
	}
	if req.ToUserID == 0 {
		p.Add("to_user_id", kewei.ReasonRequired, "name the user who takes them")
	} else if req.ToUserID == req.FromUserID {
		p.Add("to_user_id", kewei.ReasonOutOfRange, "is the same user")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !a.IsAdmin() && !(a.Role == kewei.RoleManager && slices.Contains(a.TeamMembers, req.FromUserID) && slices.Contains(a.TeamMembers, req.ToUserID)) {
		if err := s.db.auditAlone(ctx, kewei.ActionDeny, "handover", req.FromUserID, 0, map[string]string{"reason": "role or team"}); err != nil {
			return nil, err
		}
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators, or the manager of both users' team, hand customers over")
	}
	out := &kewei.Handover{FromUserID: req.FromUserID, ToUserID: req.ToUserID}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		var disabled bool
		found, err := tx.get(ctx, `SELECT disabled FROM users WHERE id = ?`, []any{req.ToUserID}, &disabled)
		switch {
		case err != nil:
			return err
		case !found:
			return kewei.Errorf(kewei.ENOTFOUND, "user %d not found", req.ToUserID)
		case disabled:
			var p kewei.Problems
			p.Add("to_user_id", kewei.ReasonOutOfRange, "user %d is disabled and cannot take customers", req.ToUserID)
			return p.Err()
		}
		ids, err := tx.ids(ctx, `SELECT id FROM customers WHERE owner_id = ? ORDER BY id`, req.FromUserID)
		if err != nil {
			return err
		}
		out.Customers = len(ids)
		for _, st := range []stmt{
			{`UPDATE customers SET owner_id = ?, updated_at = ?, version = version + 1 WHERE owner_id = ?`, []any{req.ToUserID, ms(tx.now), req.FromUserID}},
			{`UPDATE customer_search_owner SET owner_id = ? WHERE owner_id = ?`, []any{req.ToUserID, req.FromUserID}},
		} {
			if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		res, err := tx.exec(ctx, `UPDATE tasks SET assignee_id = ?, version = version + 1 WHERE assignee_id = ? AND status = ?`,
			req.ToUserID, req.FromUserID, kewei.TaskOpen)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		out.Tasks = int(n)
		return tx.audit(ctx, kewei.ActionUpdate, "handover", req.FromUserID, 0, map[string]any{"owner_id": req.FromUserID},
			map[string]any{"owner_id": req.ToUserID, "customers": ids, "tasks": out.Tasks})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
