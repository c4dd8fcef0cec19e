package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/password"
	"github.com/kewei-crm/kewei/internal/totp"
)

// AuthService signs users in and tells who holds a token.
type AuthService struct {
	db *DB
	// SessionTTL is how long a session lasts after sign-in.
	SessionTTL time.Duration
	// unknown counts failed sign-ins under names that do not exist, so that
	// they are slowed down exactly like real ones and reveal nothing.
	unknown *failures
}

// NewAuthService returns the auth service of db with sessions lasting ttl.
func NewAuthService(db *DB, ttl time.Duration) *AuthService {
	return &AuthService{db: db, SessionTTL: ttl, unknown: newFailures(10000)}
}

var _ kewei.AuthService = (*AuthService)(nil)

// touchEvery bounds how often reading a session or token writes its
// last-seen time.
const touchEvery = time.Minute

// newToken returns a random token with the prefix and the hash stored for it.
func newToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// signInUser is what sign-in reads of a user.
type signInUser struct {
	id, lastFailed int64
	name, hash     string
	disabled, totp bool
	secret         string
	failed         int
}

// SignIn checks the password (and the authenticator code, for users who
// turned it on) and opens a session. After three failures in a row each
// further attempt must wait longer — one second, then doubling up to fifteen
// minutes — instead of locking the account, which an attacker could abuse.
func (s *AuthService) SignIn(ctx context.Context, in kewei.SignIn) (*kewei.Session, error) {
	name := strings.ToLower(strings.TrimSpace(in.Name))
	var u signInUser
	err := s.db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT id, name, password_hash, disabled, failed_signins, last_failed_at, totp_enabled, totp_secret
			FROM users WHERE lower(name) = ?`, []any{name}, &u.id, &u.name, &u.hash, &u.disabled, &u.failed, &u.lastFailed, &u.totp, &u.secret)
		return err
	})
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	failed, last := u.failed, fromMS(u.lastFailed)
	if u.id == 0 {
		failed, last = s.unknown.get(name)
	}
	if wait := last.Add(failedDelay(failed)).Sub(now); wait > 0 {
		return nil, &kewei.Error{Code: kewei.ETOOMANY, RetryAfter: wait,
			Message: "too many failed sign-ins for this name; try again in " + wait.Round(time.Second).String()}
	}
	ok := u.id != 0 && u.hash != "" && !u.disabled
	if ok {
		ok, _ = password.Check(u.hash, in.Password)
	} else {
		password.Waste(in.Password)
	}
	if ok && u.totp && !totp.Check(u.secret, in.Code, now) {
		if in.Code == "" {
			return nil, &kewei.Error{Code: kewei.EUNAUTHORIZED, Message: "enter the code from your authenticator app",
				Fields: []kewei.FieldError{{Field: "code", Reason: kewei.ReasonRequired, Message: "is required for this account"}}}
		}
		ok = false
	}
	actx := kewei.WithActor(ctx, &kewei.Actor{UserID: u.id, Name: in.Name, RemoteAddr: in.RemoteAddr})
	if !ok {
		if u.id == 0 {
			s.unknown.add(name, now)
		}
		err := s.db.writeTx(actx, func(tx *Tx) error {
			if u.id != 0 {
				if _, err := tx.exec(ctx, `UPDATE users SET failed_signins = failed_signins + 1, last_failed_at = ? WHERE id = ?`,
					ms(now), u.id); err != nil {
					return err
				}
			}
			return tx.appendAudit(actx, kewei.ActionSignInFailed, "user", u.id, 0, map[string]string{"name": in.Name})
		})
		if err != nil {
			return nil, err
		}
		return nil, errSignIn
	}
	return s.openSession(actx, u.id, in)
}

var errSignIn = kewei.Errorf(kewei.EUNAUTHORIZED, "wrong name or password")

// failedDelay is how long to wait after n failed sign-ins in a row.
func failedDelay(n int) time.Duration {
	if n < 3 {
		return 0
	}
	return min(time.Second<<min(n-3, 20), 15*time.Minute)
}

func (s *AuthService) openSession(ctx context.Context, userID int64, in kewei.SignIn) (*kewei.Session, error) {
	token, th := newToken(kewei.SessionTokenPrefix)
	sess := &kewei.Session{UserID: userID, Token: token}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		sess.CreatedAt, sess.ExpiresAt = tx.now, tx.now.Add(s.SessionTTL)
		if _, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at,
			remote_addr, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`, th, userID, ms(tx.now), ms(sess.ExpiresAt), ms(tx.now),
			clip(in.RemoteAddr, 100), clip(in.UserAgent, 300)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, ms(tx.now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET last_sign_in_at = ?, failed_signins = 0 WHERE id = ?`, ms(tx.now), userID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionSignIn, "user", userID, 0, map[string]string{"user_agent": clip(in.UserAgent, 300)})
	})
	return sess, err
}

// SignOut ends the session holding token.
func (s *AuthService) SignOut(ctx context.Context, token string) error {
	return s.db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.appendAudit(ctx, kewei.ActionSignOut, "user", kewei.ActorUserID(ctx), 0, nil)
	})
}

// Authenticate returns the actor holding a session or API token, with the
// scopes of their role and the teams they see.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*kewei.Actor, error) {
	unauthorized := kewei.Errorf(kewei.EUNAUTHORIZED, "sign in again: the session or token is unknown, expired or revoked")
	th := hashToken(token)
	var q, touch string
	switch {
	case strings.HasPrefix(token, kewei.SessionTokenPrefix):
		q = `SELECT u.id, u.name, u.display_name, u.role, u.must_change_password, COALESCE(u.team_id, 0), u.locale, s.last_seen_at FROM sessions s
			JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`
		touch = `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`
	case strings.HasPrefix(token, kewei.APITokenPrefix):
		q = `SELECT u.id, u.name, u.display_name, u.role, u.must_change_password, COALESCE(u.team_id, 0), u.locale, t.last_used_at FROM api_tokens t
			JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at = 0
			AND (t.expires_at = 0 OR t.expires_at > ?) AND NOT u.disabled`
		touch = `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`
	default:
		return nil, unauthorized
	}
	now := s.db.now()
	a, seen, found := s.db.actors.get(th, now)
	if found {
		return a, s.touch(ctx, touch, th, now, seen)
	}
	a = &kewei.Actor{SessionID: th}
	gen := s.db.actors.gen.Load()
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		found, err = tx.get(ctx, q, []any{th, ms(now)}, &a.UserID, &a.Name, &a.DisplayName, &a.Role, &a.MustChangePassword, &a.TeamID, &a.Locale, &seen)
		if err != nil || !found {
			return err
		}
		return loadAccess(ctx, tx, a)
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, unauthorized
	}
	s.db.actors.put(th, a, seen, gen, now)
	return a, s.touch(ctx, touch, th, now, seen)
}

// touch marks the session or token as used, at most every touchEvery.
func (s *AuthService) touch(ctx context.Context, q, th string, now time.Time, seen int64) error {
	if now.Sub(fromMS(seen)) <= touchEvery {
		return nil
	}
	s.db.actors.touched(th, ms(now))
	return s.db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, q, ms(tx.now), th)
		return err
	})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
