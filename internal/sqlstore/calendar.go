package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
)

// CalendarService keeps the users' calendar feed tokens.
type CalendarService struct{ db *DB }

// NewCalendarService returns the calendar feeds of db.
func NewCalendarService(db *DB) *CalendarService { return &CalendarService{db: db} }

var _ kewei.CalendarService = (*CalendarService)(nil)

// CreateCalendarFeed replaces the user's feed token; audited.
func (s *CalendarService) CreateCalendarFeed(ctx context.Context) (string, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return "", err
	}
	if a.UserID == 0 {
		return "", kewei.Errorf(kewei.EINVALID, "only users have calendars")
	}
	token, hash := newToken(kewei.CalendarPrefix)
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM calendar_feeds WHERE user_id = ?`, a.UserID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)`, a.UserID, hash, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "calendar_feed", a.UserID, 0, nil, map[string]string{"prefix": token[:len(kewei.CalendarPrefix)+6]})
	})
	return token, err
}

// CalendarFeed reads the open tasks and the visits still to report of the
// token's user, within the user's scope.
func (s *CalendarService) CalendarFeed(ctx context.Context, token string) (*kewei.Agenda, *kewei.User, error) {
	notFound := kewei.Errorf(kewei.ENOTFOUND, "no such calendar")
	if !strings.HasPrefix(token, kewei.CalendarPrefix) {
		return nil, nil, notFound
	}
	var userID int64
	err := s.db.readTx(ctx, func(tx *Tx) error {
		found, err := tx.get(ctx, `SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id
			WHERE f.token_hash = ? AND u.disabled = ?`, []any{hashToken(token), false}, &userID)
		if err == nil && !found {
			err = notFound
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	a, err := s.db.ActorFor(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	uctx := kewei.WithActor(ctx, a)
	u, err := NewUserService(s.db).FindUserByID(uctx, userID)
	if err != nil {
		return nil, nil, err
	}
	list, err := NewPlaybookService(s.db).FindTasks(uctx, kewei.TaskFilter{Mine: true, Statuses: []kewei.TaskStatus{kewei.TaskOpen}, Limit: kewei.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	visits, err := NewVisitService(s.db).FindVisits(uctx, kewei.VisitFilter{Mine: true, Open: true, Limit: kewei.MaxLimit})
	if err != nil {
		return nil, nil, err
	}
	return &kewei.Agenda{Tasks: list.Items, Visits: visits}, u, nil
}
