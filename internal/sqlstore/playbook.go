package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
)

// PlaybookService keeps playbooks and their tasks.
type PlaybookService struct{ db *DB }

// NewPlaybookService returns the playbook store of db.
func NewPlaybookService(db *DB) *PlaybookService { return &PlaybookService{db: db} }

var _ kewei.PlaybookStore = (*PlaybookService)(nil)

const playbookCols = `template, name, description, enabled, audience, steps`

func scanPlaybook(r scanner) (*kewei.Playbook, error) {
	pb := &kewei.Playbook{}
	err := r.Scan(&pb.ID, &pb.Template, &pb.Name, &pb.Description, &pb.Enabled, jsonScan{&pb.Audience}, jsonScan{&pb.Steps},
		instant{&pb.CreatedAt}, instant{&pb.UpdatedAt}, &pb.Version)
	if pb.Steps == nil {
		pb.Steps = []kewei.PlaybookStep{}
	}
	return pb, err
}

func findPlaybooks(ctx context.Context, tx *Tx, id int64) ([]*kewei.Playbook, error) {
	q, args := `SELECT id, `+playbookCols+`, created_at, updated_at, version FROM playbooks`, []any{}
	if id != 0 {
		q, args = q+` WHERE id = ?`, append(args, id)
	}
	rows, err := tx.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*kewei.Playbook{}
	for rows.Next() {
		pb, err := scanPlaybook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, pb)
	}
	return out, rows.Err()
}

// FindPlaybooks lists every playbook; anyone signed in may read them.
func (s *PlaybookService) FindPlaybooks(ctx context.Context) ([]*kewei.Playbook, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []*kewei.Playbook
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = findPlaybooks(ctx, tx, 0)
		return err
	})
	return out, err
}

// FindPlaybook reads one playbook.
func (s *PlaybookService) FindPlaybook(ctx context.Context, id int64) (*kewei.Playbook, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []*kewei.Playbook
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = findPlaybooks(ctx, tx, id)
		return err
	})
	if err == nil && len(out) == 0 {
		err = kewei.Errorf(kewei.ENOTFOUND, "playbook %d not found", id)
	}
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// CreatePlaybook adds a playbook; administrators only.
func (s *PlaybookService) CreatePlaybook(ctx context.Context, pb *kewei.Playbook) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := pb.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		pb.ID, pb.CreatedAt, pb.UpdatedAt, pb.Version = tx.db.ids.next(), tx.now, tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO playbooks (id, `+playbookCols+`, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pb.ID, pb.Template, pb.Name, pb.Description, pb.Enabled, jsonValue{pb.Audience}, jsonValue{pb.Steps},
			ms(pb.CreatedAt), ms(pb.UpdatedAt), pb.Version); err != nil {
			return err
		}
		if err := keepVersion(ctx, tx, pb); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "playbook", pb.ID, 0, nil, pb)
	})
}

// keepVersion records the playbook as saved, so earlier versions can be
// read back.
func keepVersion(ctx context.Context, tx *Tx, pb *kewei.Playbook) error {
	_, err := tx.exec(ctx, `INSERT INTO playbook_versions (playbook_id, version, body, actor_id, at) VALUES (?, ?, ?, ?, ?)`,
		pb.ID, pb.Version, jsonValue{pb}, kewei.ActorUserID(ctx), ms(tx.now))
	return err
}

// UpdatePlaybook saves a new version when pb.Version is the stored one.
func (s *PlaybookService) UpdatePlaybook(ctx context.Context, pb *kewei.Playbook) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := pb.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findPlaybooks(ctx, tx, pb.ID)
		switch {
		case err != nil:
			return err
		case len(old) == 0:
			return kewei.Errorf(kewei.ENOTFOUND, "playbook %d not found", pb.ID)
		case old[0].Version != pb.Version:
			return kewei.Errorf(kewei.ECONFLICT, "playbook %d was changed by someone else (version %d, you sent %d)", pb.ID, old[0].Version, pb.Version)
		}
		pb.Template, pb.CreatedAt, pb.UpdatedAt, pb.Version = old[0].Template, old[0].CreatedAt, tx.now, old[0].Version+1
		if _, err := tx.exec(ctx, `UPDATE playbooks SET name = ?, description = ?, enabled = ?, audience = ?, steps = ?, updated_at = ?, version = ?
			WHERE id = ?`, pb.Name, pb.Description, pb.Enabled, jsonValue{pb.Audience}, jsonValue{pb.Steps}, ms(pb.UpdatedAt), pb.Version, pb.ID); err != nil {
			return err
		}
		if err := keepVersion(ctx, tx, pb); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "playbook", pb.ID, 0, old[0], pb)
	})
}

// DeletePlaybook removes a playbook and its open tasks; tasks done or
// skipped stay as history.
func (s *PlaybookService) DeletePlaybook(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findPlaybooks(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return kewei.Errorf(kewei.ENOTFOUND, "playbook %d not found", id)
		}
		if _, err := tx.exec(ctx, `DELETE FROM tasks WHERE playbook_id = ? AND status = ?`, id, kewei.TaskOpen); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM playbooks WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "playbook", id, 0, old[0], nil)
	})
}
