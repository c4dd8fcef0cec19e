package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
)

// ViewService keeps saved views.
type ViewService struct{ db *DB }

// NewViewService returns the saved-view service of db.
func NewViewService(db *DB) *ViewService { return &ViewService{db: db} }

var _ kewei.ViewService = (*ViewService)(nil)

// FindViews returns the actor's views by name.
func (s *ViewService) FindViews(ctx context.Context) ([]*kewei.SavedView, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	views := []*kewei.SavedView{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, user_id, name, query, created_at FROM saved_views WHERE user_id = ? ORDER BY name`, a.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v := &kewei.SavedView{}
			if err := rows.Scan(&v.ID, &v.UserID, &v.Name, &v.Query, instant{&v.CreatedAt}); err != nil {
				return err
			}
			views = append(views, v)
		}
		return rows.Err()
	})
	return views, err
}

// CreateView saves a view for the actor; names are unique per user.
func (s *ViewService) CreateView(ctx context.Context, v *kewei.SavedView) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.UserID == 0 {
		return kewei.Errorf(kewei.EFORBIDDEN, "saved views belong to users")
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		v.ID, v.UserID, v.CreatedAt = tx.db.ids.next(), a.UserID, tx.now
		_, err := tx.exec(ctx, `INSERT INTO saved_views (id, user_id, name, query, created_at) VALUES (?, ?, ?, ?, ?)`,
			v.ID, v.UserID, v.Name, v.Query, ms(v.CreatedAt))
		return err
	})
}

// DeleteView removes one of the actor's views.
func (s *ViewService) DeleteView(ctx context.Context, id int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM saved_views WHERE id = ? AND user_id = ?`, id, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return kewei.Errorf(kewei.ENOTFOUND, "view %d not found", id)
		}
		return nil
	})
}
