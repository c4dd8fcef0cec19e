package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// NotificationService is the reminder outbox.
type NotificationService struct{ db *DB }

// NewNotificationService returns the outbox of db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ kewei.NotificationStore = (*NotificationService)(nil)

// DueTasks lists open, assigned tasks due before before, with the
// assignee's email, phone and language.
func (s *NotificationService) DueTasks(ctx context.Context, before time.Time) ([]kewei.DueTask, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var out []kewei.DueTask
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT (SELECT phones FROM customers WHERE id = q.customer_id), u.email, COALESCE(u.phone, ''), u.locale, u.display_name, q.* FROM (`+
			taskSelect+` WHERE t.status = ? AND t.due_at < ? AND t.assignee_id <> 0) q JOIN users u ON u.id = q.assignee_id
			WHERE u.disabled = ? ORDER BY q.due_at, q.id`, kewei.TaskOpen, ms(before), false)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d kewei.DueTask
			var phones []kewei.Phone
			t, err := scanTask(prefixed{rows, []any{jsonScan{&phones}, &d.Email, &d.Phone, &d.Locale, &d.UserName}}, tx.now)
			if err != nil {
				return err
			}
			if len(phones) > 0 {
				d.CustomerPhone = phones[0].Number
			}
			d.Task = t
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// prefixed scans leading columns into pre, then the rest as the wrapped
// scan asks.
type prefixed struct {
	r   scanner
	pre []any
}

func (p prefixed) Scan(dest ...any) error {
	return p.r.Scan(append(append([]any{}, p.pre...), dest...)...)
}

// EnqueueNotifications adds the reminders whose keys are new.
func (s *NotificationService) EnqueueNotifications(ctx context.Context, ns []kewei.Notification) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		for _, v := range ns {
			res, err := tx.exec(ctx, `INSERT INTO notifications (id, dedupe_key, channel, target, subject, body, next_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				tx.db.ids.next(), v.Key, v.Channel, v.Target, v.Subject, v.Body, ms(v.NextAt), ms(tx.now))
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	return n, err
}

// PendingNotifications lists reminders due by now, oldest first.
func (s *NotificationService) PendingNotifications(ctx context.Context, now time.Time, limit int) ([]kewei.Notification, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var out []kewei.Notification
	err := s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT id, dedupe_key, channel, target, subject, body, status, attempts, next_at, last_error, created_at, sent_at
			FROM notifications WHERE status = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?`,
			[]any{kewei.NotifyPending, ms(now), limit}, func(r scanner) error {
				var v kewei.Notification
				if err := r.Scan(&v.ID, &v.Key, &v.Channel, &v.Target, &v.Subject, &v.Body, &v.Status, &v.Attempts,
					instant{&v.NextAt}, &v.LastError, instant{&v.CreatedAt}, instant{&v.SentAt}); err != nil {
					return err
				}
				out = append(out, v)
				return nil
			})
	})
	return out, err
}

// MarkNotification records an attempt.
func (s *NotificationService) MarkNotification(ctx context.Context, id int64, sent bool, errText string, next time.Time) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		status, sentAt := kewei.NotifyPending, int64(0)
		switch {
		case sent:
			status, sentAt = kewei.NotifySent, ms(tx.now)
		case next.IsZero():
			status = kewei.NotifyFailed
		}
		_, err := tx.exec(ctx, `UPDATE notifications SET status = ?, attempts = attempts + 1, last_error = ?, next_at = ?, sent_at = ? WHERE id = ?`,
			status, errText, ms(next), sentAt, id)
		return err
	})
}
