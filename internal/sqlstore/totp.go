package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/totp"
)

// StartTOTP stores a new secret for the signed-in user, not yet in force.
func (s *AuthService) StartTOTP(ctx context.Context) (string, string, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return "", "", err
	}
	secret := totp.NewSecret()
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		var enabled bool
		if _, err := tx.get(ctx, `SELECT totp_enabled FROM users WHERE id = ?`, []any{a.UserID}, &enabled); err != nil {
			return err
		}
		if enabled {
			return kewei.Errorf(kewei.ECONFLICT, "the authenticator is already on; turn it off first")
		}
		_, err := tx.exec(ctx, `UPDATE users SET totp_secret = ? WHERE id = ?`, secret, a.UserID)
		return err
	})
	return secret, totp.URL("Kewei", a.Name, secret), err
}

// EnableTOTP turns the stored secret on once the code matches.
func (s *AuthService) EnableTOTP(ctx context.Context, code string) error {
	return s.setTOTP(ctx, code, true)
}

// DisableTOTP turns codes off; it takes a current code.
func (s *AuthService) DisableTOTP(ctx context.Context, code string) error {
	return s.setTOTP(ctx, code, false)
}

func (s *AuthService) setTOTP(ctx context.Context, code string, on bool) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var secret string
		if _, err := tx.get(ctx, `SELECT totp_secret FROM users WHERE id = ?`, []any{a.UserID}, &secret); err != nil {
			return err
		}
		if secret == "" || !totp.Check(secret, code, tx.now) {
			var p kewei.Problems
			p.Add("code", kewei.ReasonInvalidFormat, "is not the current code of your authenticator")
			return p.Err()
		}
		if !on {
			secret = ""
		}
		if _, err := tx.exec(ctx, `UPDATE users SET totp_enabled = ?, totp_secret = ? WHERE id = ?`, on, secret, a.UserID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionUpdate, "user", a.UserID, 0, map[string]bool{"totp_enabled": on})
	})
}
