package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
)

// TeamService keeps teams.
type TeamService struct{ db *DB }

// NewTeamService returns the team service of db.
func NewTeamService(db *DB) *TeamService { return &TeamService{db: db} }

var _ kewei.TeamService = (*TeamService)(nil)

const teamSelect = `SELECT t.id, t.name, COALESCE(t.parent_id, 0), COALESCE(t.manager_id, 0),
	COALESCE(u.display_name, ''), t.created_at, t.updated_at, t.version
	FROM teams t LEFT JOIN users u ON u.id = t.manager_id`

func scanTeam(r scanner) (*kewei.Team, error) {
	t := &kewei.Team{}
	err := r.Scan(&t.ID, &t.Name, &t.ParentID, &t.ManagerID, &t.ManagerName, instant{&t.CreatedAt}, instant{&t.UpdatedAt}, &t.Version)
	return t, err
}

// FindTeams returns every team ordered by name; any signed-in user may.
func (s *TeamService) FindTeams(ctx context.Context) ([]*kewei.Team, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	teams := []*kewei.Team{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, teamSelect+` ORDER BY t.name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTeam(rows)
			if err != nil {
				return err
			}
			teams = append(teams, t)
		}
		return rows.Err()
	})
	return teams, err
}

func findTeam(ctx context.Context, tx *Tx, id int64) (*kewei.Team, error) {
	return queryOne(ctx, tx, scanTeam, kewei.Errorf(kewei.ENOTFOUND, "team %d not found", id), teamSelect+` WHERE t.id = ?`, id)
}

// CreateTeam adds a team; administrators only.
func (s *TeamService) CreateTeam(ctx context.Context, t *kewei.Team) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		t.ID, t.CreatedAt, t.UpdatedAt, t.Version = tx.db.ids.next(), tx.now, tx.now, 1
		if err := checkTeamLinks(ctx, tx, t); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO teams (id, name, parent_id, manager_id, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Name, nullID(t.ParentID), nullID(t.ManagerID), ms(tx.now), ms(tx.now), 1); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "team", t.ID, 0, nil, t)
	})
}

// UpdateTeam applies p; administrators only.
func (s *TeamService) UpdateTeam(ctx context.Context, id int64, p kewei.Patch) (*kewei.Team, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var t *kewei.Team
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findTeam(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "team %d was changed by someone else (now version %d); reload and try again", id, old.Version)
		}
		n := *old
		if err := p.Apply(&n); err != nil {
			return err
		}
		if err := n.Validate(); err != nil {
			return err
		}
		if err := checkTeamLinks(ctx, tx, &n); err != nil {
			return err
		}
		n.UpdatedAt, n.Version = tx.now, old.Version+1
		res, err := tx.exec(ctx, `UPDATE teams SET (name, parent_id, manager_id, updated_at, version) = (?, ?, ?, ?, ?)
			WHERE id = ? AND version = ?`, n.Name, nullID(n.ParentID), nullID(n.ManagerID), ms(tx.now), n.Version, id, old.Version)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, "teams", id, "team"); err != nil {
			return err
		}
		t = &n
		return tx.audit(ctx, kewei.ActionUpdate, "team", id, 0, old, t)
	})
	return t, err
}

// checkTeamLinks checks that the parent and manager exist and that the
// parent is not the team itself or below it.
func checkTeamLinks(ctx context.Context, tx *Tx, t *kewei.Team) error {
	var p kewei.Problems
	for parent, depth := t.ParentID, 0; parent != 0; depth++ {
		if parent == t.ID || depth > 50 {
			p.Add("parent_id", kewei.ReasonOutOfRange, "a team cannot be placed below itself")
			break
		}
		var next int64
		found, err := tx.get(ctx, `SELECT COALESCE(parent_id, 0) FROM teams WHERE id = ?`, []any{parent}, &next)
		if err != nil {
			return err
		}
		if !found {
			p.Add("parent_id", kewei.ReasonUnknownChoice, "there is no team %d", parent)
			break
		}
		parent = next
	}
	if t.ManagerID != 0 {
		var one int
		if found, err := tx.get(ctx, `SELECT 1 FROM users WHERE id = ?`, []any{t.ManagerID}, &one); err != nil {
			return err
		} else if !found {
			p.Add("manager_id", kewei.ReasonUnknownChoice, "there is no user %d", t.ManagerID)
		}
	}
	return p.Err()
}

// DeleteTeam removes an empty team; administrators only.
func (s *TeamService) DeleteTeam(ctx context.Context, id int64, version int) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findTeam(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if _, err := tx.get(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE team_id = ?) + (SELECT COUNT(*) FROM teams WHERE parent_id = ?)`,
			[]any{id, id}, &n); err != nil {
			return err
		}
		if n > 0 {
			return kewei.Errorf(kewei.ECONFLICT, "team %q still has members or sub-teams; move them first", old.Name)
		}
		res, err := tx.exec(ctx, `DELETE FROM teams WHERE id = ? AND version = ?`, id, version)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, "teams", id, "team"); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "team", id, 0, old, nil)
	})
}
