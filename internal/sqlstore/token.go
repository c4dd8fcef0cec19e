package sqlstore

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kewei-crm/kewei"
)

// CreateToken makes an API token for the user; users make their own,
// administrators anyone's. The token is returned once and stored hashed.
func (s *AuthService) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *kewei.APIToken, error) {
	if err := allowSelfOrAdmin(ctx, userID); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	var p kewei.Problems
	if name == "" {
		p.Add("name", kewei.ReasonRequired, "is required: say what the token is for")
	} else if utf8.RuneCountInString(name) > 100 {
		p.Add("name", kewei.ReasonTooLong, "must be at most 100 characters")
	}
	if ttl < 0 {
		p.Add("ttl", kewei.ReasonOutOfRange, "must not be negative")
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	token, th := newToken(kewei.APITokenPrefix)
	t := &kewei.APIToken{UserID: userID, Name: name, Prefix: token[:len(kewei.APITokenPrefix)+6]}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx, `id = ?`, userID); err != nil {
			return err
		}
		t.ID, t.CreatedAt = tx.db.ids.next(), tx.now
		var expires int64
		if ttl > 0 {
			e := tx.now.Add(ttl)
			t.ExpiresAt, expires = &e, ms(e)
		}
		if _, err := tx.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, userID, name, th, t.Prefix, ms(t.CreatedAt), expires); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "api_token", t.ID, 0, nil, t)
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// FindTokens lists a user's tokens, newest first.
func (s *AuthService) FindTokens(ctx context.Context, userID int64) ([]*kewei.APIToken, error) {
	if err := allowSelfOrAdmin(ctx, userID); err != nil {
		return nil, err
	}
	list := []*kewei.APIToken{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at
			FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t := &kewei.APIToken{}
			if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, instant{&t.CreatedAt}, optInstant{&t.LastUsedAt},
				optInstant{&t.ExpiresAt}, optInstant{&t.RevokedAt}); err != nil {
				return err
			}
			list = append(list, t)
		}
		return rows.Err()
	})
	return list, err
}

// RevokeToken stops a token from working.
func (s *AuthService) RevokeToken(ctx context.Context, id int64) error {
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var userID int64
		found, err := tx.get(ctx, `SELECT user_id FROM api_tokens WHERE id = ?`, []any{id}, &userID)
		if err != nil {
			return err
		}
		if !found {
			return kewei.Errorf(kewei.ENOTFOUND, "token %d not found", id)
		}
		if err := allowSelfOrAdmin(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, ms(tx.now), id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionDelete, "api_token", id, 0, map[string]int64{"user_id": userID})
	})
}

func allowSelfOrAdmin(ctx context.Context, userID int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.UserID != userID && !a.IsAdmin() {
		return kewei.Errorf(kewei.EFORBIDDEN, "you may only manage your own tokens")
	}
	return nil
}
