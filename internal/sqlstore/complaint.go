package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// ComplaintService keeps complaints.
type ComplaintService struct{ db *DB }

// NewComplaintService returns the complaints of db.
func NewComplaintService(db *DB) *ComplaintService { return &ComplaintService{db: db} }

var _ kewei.ComplaintStore = (*ComplaintService)(nil)

const complaintSelect = `SELECT k.id, k.customer_id, c.name, k.channel, k.category, k.severity, k.words, k.holding_id, k.status,
	k.root_cause, k.corrective_action, k.confirmation, k.assignee_id, COALESCE(u.display_name, ''), k.escalation_level,
	k.received_at, k.acknowledged_at, k.resolved_at, k.closed_at, k.paused_since, k.version
	FROM complaints k JOIN customers c ON c.id = k.customer_id LEFT JOIN users u ON u.id = k.assignee_id`

func scanComplaint(r scanner) (*kewei.Complaint, error) {
	k := &kewei.Complaint{}
	var ack, res, closed, paused int64
	err := r.Scan(&k.ID, &k.CustomerID, &k.CustomerName, &k.Channel, &k.Category, &k.Severity, &k.Words, &k.HoldingID, &k.Status,
		&k.RootCause, &k.CorrectiveAction, &k.Confirmation, &k.AssigneeID, &k.AssigneeName, &k.EscalationLevel,
		instant{&k.ReceivedAt}, &ack, &res, &closed, &paused, &k.Version)
	k.AcknowledgedAt, k.ResolvedAt, k.ClosedAt, k.PausedSince = fromMS(ack), fromMS(res), fromMS(closed), fromMS(paused)
	k.Waiting = paused != 0
	return k, err
}

// CreateComplaint records a complaint against a customer in scope, given to
// the customer's owner (or whoever took it, for the shared pool).
func (s *ComplaintService) CreateComplaint(ctx context.Context, k *kewei.Complaint) error {
	if err := k.Validate(); err != nil {
		return err
	}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, k.CustomerID)
		if err != nil {
			return err
		}
		if k.HoldingID != 0 {
			var owner int64
			if found, err := tx.get(ctx, `SELECT customer_id FROM holdings WHERE id = ?`, []any{k.HoldingID}, &owner); err != nil {
				return err
			} else if !found || owner != k.CustomerID {
				var p kewei.Problems
				p.Add("holding_id", kewei.ReasonUnknownChoice, "is not one of this customer's holdings")
				return p.Err()
			}
		}
		k.ID, k.Status, k.ReceivedAt, k.Version = tx.db.ids.next(), kewei.ComplaintReceived, tx.now, 1
		k.AssigneeID = c.OwnerID
		if k.AssigneeID == 0 {
			k.AssigneeID = kewei.ActorUserID(ctx)
		}
		if _, err := tx.exec(ctx, `INSERT INTO complaints (id, customer_id, channel, category, severity, words, holding_id, status, assignee_id,
			received_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, k.CustomerID, k.Channel, k.Category, k.Severity, k.Words,
			k.HoldingID, k.Status, k.AssigneeID, ms(tx.now), kewei.ActorUserID(ctx)); err != nil {
			return err
		}
		if err := complaintEvent(ctx, tx, k, "receive", "", k.Status, ""); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "complaint", k.ID, k.CustomerID, nil, k)
	})
	return s.db.denied(ctx, err)
}

func complaintEvent(ctx context.Context, tx *Tx, k *kewei.Complaint, action string, from, to kewei.ComplaintStatus, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO complaint_events (id, complaint_id, customer_id, action, from_status, to_status, note, actor_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, tx.db.ids.next(), k.ID, k.CustomerID, action, from, to, note, kewei.ActorUserID(ctx), ms(tx.now))
	return err
}

// findComplaint reads a complaint whose customer the actor sees.
func findComplaint(ctx context.Context, tx *Tx, id int64) (*kewei.Complaint, error) {
	k, err := queryOne(ctx, tx, scanComplaint, kewei.Errorf(kewei.ENOTFOUND, "complaint %d not found", id), complaintSelect+` WHERE k.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if _, err := visibleCustomer(ctx, tx, k.CustomerID); err != nil {
		return nil, err
	}
	return k, nil
}

// FindComplaint reads a complaint and its history, oldest first.
func (s *ComplaintService) FindComplaint(ctx context.Context, id int64) (*kewei.Complaint, []*kewei.ComplaintEvent, error) {
	var k *kewei.Complaint
	events := []*kewei.ComplaintEvent{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		if k, err = findComplaint(ctx, tx, id); err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT e.id, e.action, e.from_status, e.to_status, e.note, e.actor_id, COALESCE(u.display_name, ''), e.at
			FROM complaint_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.complaint_id = ? ORDER BY e.at, e.id`, []any{id},
			func(r scanner) error {
				e := &kewei.ComplaintEvent{}
				if err := r.Scan(&e.ID, &e.Action, &e.From, &e.To, &e.Note, &e.ActorID, &e.ActorName, instant{&e.At}); err != nil {
					return err
				}
				events = append(events, e)
				return nil
			})
	})
	if err != nil {
		return nil, nil, s.db.denied(ctx, err)
	}
	return k, events, nil
}

// FindComplaints lists the complaints of the customers the actor sees,
// newest first.
func (s *ComplaintService) FindComplaints(ctx context.Context, f kewei.ComplaintFilter) ([]*kewei.Complaint, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.CustomerID != 0 {
		w = w.and(`k.customer_id = ?`, f.CustomerID)
	}
	if f.Open {
		w = w.and(`k.status <> ?`, kewei.ComplaintClosed)
	}
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			args[i] = st
		}
		w = w.and(`k.status IN (`+placeholders(len(args))+`)`, args...)
	}
	limit := f.Limit
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = 100
	}
	period := false
	for _, b := range []struct {
		t    time.Time
		cond string
	}{{f.ReceivedFrom, `k.received_at >= ?`}, {f.ReceivedTo, `k.received_at < ?`}, {f.ClosedFrom, `k.closed_at >= ?`},
		{f.ClosedTo, `k.closed_at < ? AND k.closed_at > 0`}} {
		if !b.t.IsZero() {
			w, period = w.and(b.cond, ms(b.t)), true
		}
	}
	if period && f.Limit == 0 {
		limit = 1_000_000 // a period bounds the rows; a report needs them all
	}
	out := []*kewei.Complaint{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, complaintSelect+w.sql()+` ORDER BY k.received_at DESC, k.id DESC LIMIT ?`, append(w.args, limit),
			func(r scanner) error {
				k, err := scanComplaint(r)
				if err == nil {
					out = append(out, k)
				}
				return err
			})
	})
	return out, err
}
