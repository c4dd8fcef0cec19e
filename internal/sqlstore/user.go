package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/password"
)

// UserService keeps users.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ kewei.UserService = (*UserService)(nil)

const userSelect = `SELECT id, name, display_name, email, phone, role, COALESCE(team_id, 0), totp_enabled, locale,
	disabled, must_change_password, last_sign_in_at, created_at, updated_at, version FROM users`

func scanUser(rows scanner) (*kewei.User, error) {
	u := &kewei.User{}
	err := rows.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Email, &u.Phone, &u.Role, &u.TeamID, &u.TOTPEnabled, &u.Locale, &u.Disabled,
		&u.MustChangePassword, optInstant{&u.LastSignInAt}, instant{&u.CreatedAt}, instant{&u.UpdatedAt}, &u.Version)
	return u, err
}

func findUser(ctx context.Context, tx *Tx, cond string, arg any) (*kewei.User, error) {
	return queryOne(ctx, tx, scanUser, kewei.Errorf(kewei.ENOTFOUND, "user %v not found", arg), userSelect+` WHERE `+cond, arg)
}

// FindUserByID returns one user.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*kewei.User, error) {
	return s.findOne(ctx, `id = ?`, id)
}

// FindUserByName returns one user by sign-in name, ignoring case.
func (s *UserService) FindUserByName(ctx context.Context, name string) (*kewei.User, error) {
	return s.findOne(ctx, `lower(name) = ?`, strings.ToLower(name))
}

func (s *UserService) findOne(ctx context.Context, cond string, arg any) (*kewei.User, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var u *kewei.User
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		u, err = findUser(ctx, tx, cond, arg)
		return err
	})
	return u, err
}

// FindUsers returns users ordered by name.
func (s *UserService) FindUsers(ctx context.Context, f kewei.UserFilter) ([]*kewei.User, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	w := where{}
	if f.Role != "" {
		w = w.and(`role = ?`, f.Role)
	}
	if !f.IncludeDisabled {
		w = w.and(`disabled = ?`, false)
	}
	users := []*kewei.User{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, userSelect+w.sql()+` ORDER BY lower(name)`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		return rows.Err()
	})
	return users, err
}

// CountUsers returns how many users exist; it needs no actor, so that the
// first start can tell whether to create an administrator.
func (s *UserService) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT COUNT(*) FROM users`, nil, &n)
		return err
	})
	return n, err
}

// CreateUser stores u with a hashed password; administrators only.
func (s *UserService) CreateUser(ctx context.Context, u *kewei.User, pw string) error {
	return s.CreateUsers(ctx, []*kewei.User{u}, pw)
}

// CreateUsers stores several users who start with the same password (demo
// staff, a class of trainees) in one transaction, hashing the password once.
func (s *UserService) CreateUsers(ctx context.Context, users []*kewei.User, pw string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	for _, u := range users {
		if err := u.Validate(); err != nil {
			return err
		}
	}
	hash := ""
	if pw != "" {
		if err := kewei.CheckPassword("password", pw); err != nil {
			return err
		}
		var err error
		if hash, err = password.Hash(pw); err != nil {
			return err
		}
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		for _, u := range users {
			if err := checkTeam(ctx, tx, u.TeamID); err != nil {
				return err
			}
			u.ID, u.CreatedAt, u.UpdatedAt, u.Version = tx.db.ids.next(), tx.now, tx.now, 1
			if _, err := tx.exec(ctx, `INSERT INTO users (id, name, display_name, email, phone, role, team_id, locale, disabled,
				must_change_password, password_hash, created_at, updated_at, version) VALUES (`+placeholders(14)+`)`,
				u.ID, u.Name, u.DisplayName, u.Email, u.Phone, u.Role, nullID(u.TeamID), u.Locale, u.Disabled,
				u.MustChangePassword, hash, ms(u.CreatedAt), ms(u.UpdatedAt), u.Version); err != nil {
				return err
			}
			if err := tx.audit(ctx, kewei.ActionCreate, "user", u.ID, 0, nil, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateUser applies p. Users may change their own display name, email,
// phone and language; administrators may change anything.
func (s *UserService) UpdateUser(ctx context.Context, id int64, p kewei.Patch) (*kewei.User, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin() {
		if actor.UserID != id {
			return nil, kewei.Errorf(kewei.EFORBIDDEN, "you may only change your own profile")
		}
		for _, f := range []string{"name", "role", "disabled", "team_id"} {
			if _, ok := p.Fields[f]; ok {
				return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators may change %s", f)
			}
		}
	}
	var u *kewei.User
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findUser(ctx, tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "user %d was changed by someone else (now version %d); reload and try again", id, old.Version)
		}
		n := *old
		if err := p.Apply(&n); err != nil {
			return err
		}
		if err := n.Validate(); err != nil {
			return err
		}
		if err := checkTeam(ctx, tx, n.TeamID); err != nil {
			return err
		}
		n.UpdatedAt, n.Version = tx.now, old.Version+1
		res, err := tx.exec(ctx, `UPDATE users SET (name, display_name, email, phone, role, team_id, locale, disabled,
			updated_at, version) = (`+placeholders(10)+`) WHERE id = ? AND version = ?`,
			n.Name, n.DisplayName, n.Email, n.Phone, n.Role, nullID(n.TeamID), n.Locale, n.Disabled, ms(n.UpdatedAt),
			n.Version, id, old.Version)
		if err != nil {
			return err
		}
		if n.Disabled && !old.Disabled {
			if err := endSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		u = &n
		if err := tx.checkAffected(ctx, res, "users", id, "user"); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "user", id, 0, old, u)
	})
	return u, err
}

// checkTeam reports a team id that does not exist.
func checkTeam(ctx context.Context, tx *Tx, id int64) error {
	if id == 0 {
		return nil
	}
	var one int
	found, err := tx.get(ctx, `SELECT 1 FROM teams WHERE id = ?`, []any{id}, &one)
	if err != nil || found {
		return err
	}
	var p kewei.Problems
	p.Add("team_id", kewei.ReasonUnknownChoice, "there is no team %d", id)
	return p.Err()
}

// SetPassword replaces a password. Users changing their own give the current
// one; an administrator resetting someone else's does not, and that user must
// choose a new one at next sign-in. Other sessions of the user end.
func (s *UserService) SetPassword(ctx context.Context, id int64, current, next string) error {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	self := actor.UserID == id
	if !self && !actor.IsAdmin() {
		return kewei.Errorf(kewei.EFORBIDDEN, "you may only change your own password")
	}
	if err := kewei.CheckPassword("new_password", next); err != nil {
		return err
	}
	if self && current == next {
		var p kewei.Problems
		p.Add("new_password", kewei.ReasonInvalidFormat, "must differ from the current password")
		return p.Err()
	}
	hash, err := password.Hash(next)
	if err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var stored string
		found, err := tx.get(ctx, `SELECT password_hash FROM users WHERE id = ?`, []any{id}, &stored)
		if err != nil {
			return err
		}
		if !found {
			return kewei.Errorf(kewei.ENOTFOUND, "user %d not found", id)
		}
		if self && !actor.System {
			if ok, _ := password.Check(stored, current); !ok {
				var p kewei.Problems
				p.Add("current_password", kewei.ReasonInvalidFormat, "is not your current password")
				return p.Err()
			}
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, hash, !self, ms(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, id, actor.SessionID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionPassword, "user", id, 0, map[string]bool{"reset_by_other": !self})
	})
}

// endSessions signs a user out everywhere.
func endSessions(ctx context.Context, tx *Tx, userID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}
