package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
)

// AccessService keeps the scope of each role on each object.
type AccessService struct{ db *DB }

// NewAccessService returns the access service of db.
func NewAccessService(db *DB) *AccessService { return &AccessService{db: db} }

var _ kewei.AccessService = (*AccessService)(nil)

// FindScopes returns every rule; any signed-in user may read them.
func (s *AccessService) FindScopes(ctx context.Context) ([]kewei.ScopeRule, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	rules := []kewei.ScopeRule{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT role, object, scope FROM role_scopes ORDER BY role, object`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r kewei.ScopeRule
			if err := rows.Scan(&r.Role, &r.Object, &r.Scope); err != nil {
				return err
			}
			rules = append(rules, r)
		}
		return rows.Err()
	})
	return rules, err
}

// SetScope changes one rule; administrators only.
func (s *AccessService) SetScope(ctx context.Context, r kewei.ScopeRule) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var old kewei.Scope
		if _, err := tx.get(ctx, `SELECT scope FROM role_scopes WHERE role = ? AND object = ?`, []any{r.Role, r.Object}, &old); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO role_scopes (role, object, scope) VALUES (?, ?, ?)
			ON CONFLICT (role, object) DO UPDATE SET scope = excluded.scope`, r.Role, r.Object, r.Scope); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "scope", 0, 0, kewei.ScopeRule{Role: r.Role, Object: r.Object, Scope: old}, r)
	})
}

// loadAccess fills the actor's scopes and the teams a team scope covers:
// their own team, the teams they manage, and every team below those.
func loadAccess(ctx context.Context, tx *Tx, a *kewei.Actor) error {
	rows, err := tx.query(ctx, `SELECT object, scope FROM role_scopes WHERE role = ?`, a.Role)
	if err != nil {
		return err
	}
	a.Scopes = map[kewei.Object]kewei.Scope{}
	for rows.Next() {
		var o kewei.Object
		var sc kewei.Scope
		if err := rows.Scan(&o, &sc); err != nil {
			rows.Close()
			return err
		}
		a.Scopes[o] = sc
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(ctx, `WITH RECURSIVE visible (id) AS (
			SELECT id FROM teams WHERE id = ? OR manager_id = ?
			UNION SELECT t.id FROM teams t JOIN visible v ON t.parent_id = v.id)
		SELECT id FROM visible ORDER BY id`, a.TeamID, a.UserID)
	if err != nil {
		return err
	}
	a.TeamIDs = nil
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		a.TeamIDs = append(a.TeamIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	a.TeamMembers = []int64{a.UserID}
	if len(a.TeamIDs) == 0 {
		return nil
	}
	args := make([]any, len(a.TeamIDs))
	for i, id := range a.TeamIDs {
		args[i] = id
	}
	rows, err = tx.query(ctx, `SELECT id FROM users WHERE team_id IN (`+placeholders(len(args))+`) AND id <> ? ORDER BY id`,
		append(args, a.UserID)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		a.TeamMembers = append(a.TeamMembers, id)
	}
	return rows.Err()
}

// scopeCond returns the condition on the customers aliased as alias that the
// actor's customers scope allows: "" for all.
func scopeCond(a *kewei.Actor, alias string) (string, []any) {
	switch a.ScopeOf(kewei.ObjectCustomers) {
	case kewei.ScopeAll:
		return "", nil
	case kewei.ScopeTeam:
		// The owners are listed: planners seek each one's rows in the owner
		// indexes, where a subquery leaves them guessing.
		if len(a.TeamMembers) > 1 {
			args := make([]any, len(a.TeamMembers))
			for i, id := range a.TeamMembers {
				args[i] = id
			}
			return alias + `.owner_id IN (` + placeholders(len(args)) + `)`, args
		}
		fallthrough
	case kewei.ScopeOwn:
		return alias + `.owner_id = ?`, []any{a.UserID}
	}
	return `1 = 0`, nil
}

// scopeOwners returns the condition on the owner column col that a narrow
// customers scope (own or team) allows, and false for a wide one (all), where
// searches use the keys of everyone.
func scopeOwners(a *kewei.Actor, col string) (string, []any, bool) {
	switch a.ScopeOf(kewei.ObjectCustomers) {
	case kewei.ScopeAll:
		return "", nil, false
	case kewei.ScopeNone:
		return `1 = 0`, nil, true
	}
	cond, args := scopeCond(a, "x")
	return strings.Replace(cond, "x.owner_id", col, 1), args, true
}

// ownerCovered reports whether the actor's customers scope covers a
// customer owned by ownerID (0 for the shared pool).
func ownerCovered(ctx context.Context, tx *Tx, a *kewei.Actor, ownerID int64) (bool, error) {
	var team int64
	if ownerID != 0 {
		if _, err := tx.get(ctx, `SELECT COALESCE(team_id, 0) FROM users WHERE id = ?`, []any{ownerID}, &team); err != nil {
			return false, err
		}
	}
	return a.Covers(kewei.ObjectCustomers, ownerID, team), nil
}

// ActorFor returns the actor for a user as a sign-in would make it: role,
// team, scopes and the teams they see. Tests and operator commands that act
// as a user use it.
func (db *DB) ActorFor(ctx context.Context, userID int64) (*kewei.Actor, error) {
	a := &kewei.Actor{}
	err := db.readTx(ctx, func(tx *Tx) error {
		found, err := tx.get(ctx, `SELECT id, name, display_name, role, COALESCE(team_id, 0), locale FROM users WHERE id = ?`,
			[]any{userID}, &a.UserID, &a.Name, &a.DisplayName, &a.Role, &a.TeamID, &a.Locale)
		if err != nil {
			return err
		}
		if !found {
			return kewei.Errorf(kewei.ENOTFOUND, "user %d not found", userID)
		}
		return loadAccess(ctx, tx, a)
	})
	return a, err
}
