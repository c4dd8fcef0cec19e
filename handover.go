package kewei

import "context"

// HandoverRequest moves a leaving owner's customers and open tasks to
// another user in one audited step.
type HandoverRequest struct {
	FromUserID int64 `json:"from_user_id"`
	ToUserID   int64 `json:"to_user_id"`
}

// Handover is what a handover moved.
type Handover struct {
	FromUserID int64 `json:"from_user_id"`
	ToUserID   int64 `json:"to_user_id"`
	Customers  int   `json:"customers"`
	Tasks      int   `json:"tasks"`
}

// HandoverService hands customers from one owner to another.
type HandoverService interface {
	// HandOver moves every customer owned by the from user, with their
	// history, and the from user's open tasks, to the to user. Administrators
	// may; so may a manager whose team covers both users.
	HandOver(ctx context.Context, req HandoverRequest) (*Handover, error)
}
