package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
)

// Create validates r and stores it under the customer.
func (s *recordService[T]) Create(ctx context.Context, customerID int64, r *T) error {
	err := s.db.writeTx(ctx, func(tx *Tx) error { return s.create(ctx, tx, customerID, r) })
	return s.db.denied(ctx, err)
}

// create stores r inside tx, so that other writes (a task done) can share
// its transaction.
func (s *recordService[T]) create(ctx context.Context, tx *Tx, customerID int64, r *T) error {
	c, err := visibleOwner(ctx, tx, customerID)
	if err != nil {
		return err
	}
	*s.t.meta(r).CustomerID = customerID
	if err := s.validate(ctx, tx, r); err != nil {
		return err
	}
	m := s.t.meta(r)
	*m.ID, *m.CustomerID = tx.db.ids.next(), customerID
	*m.CreatedAt, *m.UpdatedAt, *m.Version = tx.now, tx.now, 1
	args := append([]any{*m.ID, customerID}, s.t.args(r)...)
	args = append(args, ms(tx.now), ms(tx.now), 1)
	if _, err := tx.exec(ctx, `INSERT INTO `+s.t.table+` (id, customer_id, `+s.t.cols+`, created_at, updated_at, version)
		VALUES (`+placeholders(len(args))+`)`, args...); err != nil {
		return err
	}
	if s.t.added != nil {
		err = s.t.added(ctx, tx, r)
	} else {
		err = s.changed(ctx, tx, customerID)
	}
	if err != nil {
		return err
	}
	if err := tx.audit(ctx, kewei.ActionCreate, s.t.what, *m.ID, customerID, nil, r); err != nil {
		return err
	}
	maskRecords(ctx, c, r)
	return nil
}

// Update applies p when p.Version is the stored version.
func (s *recordService[T]) Update(ctx context.Context, id int64, p kewei.Patch) (*T, error) {
	var r *T
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		old, c, err := s.findVisible(ctx, tx, id)
		if err != nil {
			return err
		}
		m := s.t.meta(old)
		if *m.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "%s %d was changed by someone else (now version %d, you sent %d); reload and try again",
				s.t.what, id, *m.Version, p.Version)
		}
		if !kewei.ActorFrom(ctx).Covers(kewei.ObjectPII, c.OwnerID, c.OwnerTeam) {
			if err := keepMaskedRecord(&p, old); err != nil {
				return err
			}
		}
		copied := *old
		r = &copied
		m = s.t.meta(r)
		if err := p.Apply(r); err != nil {
			return err
		}
		if err := s.validate(ctx, tx, r); err != nil {
			return err
		}
		*m.UpdatedAt, *m.Version = tx.now, p.Version+1
		args := append(s.t.args(r), ms(tx.now), *m.Version, id, p.Version)
		res, err := tx.exec(ctx, `UPDATE `+s.t.table+` SET (`+s.t.cols+`, updated_at, version) = (`+
			placeholders(len(args)-2)+`) WHERE id = ? AND version = ?`, args...)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, s.t.table, id, s.t.what); err != nil {
			return err
		}
		if err := s.changed(ctx, tx, *m.CustomerID); err != nil {
			return err
		}
		if err := tx.audit(ctx, kewei.ActionUpdate, s.t.what, id, *m.CustomerID, old, r); err != nil {
			return err
		}
		maskRecords(ctx, c, r)
		return nil
	})
	return r, s.db.denied(ctx, err)
}

// Delete removes the record when version is current.
func (s *recordService[T]) Delete(ctx context.Context, id int64, version int) error {
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		old, _, err := s.findVisible(ctx, tx, id)
		if err != nil {
			return err
		}
		customerID := *s.t.meta(old).CustomerID
		res, err := tx.exec(ctx, `DELETE FROM `+s.t.table+` WHERE id = ? AND version = ?`, id, version)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, s.t.table, id, s.t.what); err != nil {
			return err
		}
		if err := s.changed(ctx, tx, customerID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, s.t.what, id, customerID, old, nil)
	})
	return s.db.denied(ctx, err)
}

func (s *recordService[T]) validate(ctx context.Context, tx *Tx, r *T) error {
	if s.t.prepare != nil {
		if err := s.t.prepare(ctx, tx, r); err != nil {
			return err
		}
	}
	return any(r).(interface{ Validate() error }).Validate()
}

func (s *recordService[T]) changed(ctx context.Context, tx *Tx, customerID int64) error {
	if s.t.changed == nil {
		return nil
	}
	return s.t.changed(ctx, tx, customerID)
}
