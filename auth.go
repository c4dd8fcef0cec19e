package kewei

import (
	"context"
	"time"
)

// Session is a signed-in browser or client. Sessions live in the database so
// that several server processes can share them.
type Session struct {
	UserID    int64
	Token     string // only set when the session is created
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIToken is a long-lived bearer token for scripts. Only its hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The first characters of the token, to tell tokens apart."`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// SignIn is what a user gives to sign in, and where from. Code is the
// authenticator's one-time code, for users who turned it on.
type SignIn struct {
	Name       string `json:"name"`
	Password   string `json:"password"`
	Code       string `json:"code"`
	RemoteAddr string `json:"-"`
	UserAgent  string `json:"-"`
}

// AuthService signs users in and out and tells who holds a token.
type AuthService interface {
	// SignIn checks the name and password and opens a session. Wrong names
	// and wrong passwords fail alike with EUNAUTHORIZED.
	SignIn(ctx context.Context, in SignIn) (*Session, error)
	// SignOut ends the session that holds token.
	SignOut(ctx context.Context, token string) error
	// Authenticate returns the actor for a session or API token, or
	// EUNAUTHORIZED when it is unknown, expired, revoked or its user is
	// disabled.
	Authenticate(ctx context.Context, token string) (*Actor, error)
	// CreateToken makes a new API token for the user and returns it once.
	CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *APIToken, error)
	// FindTokens lists a user's tokens.
	FindTokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// RevokeToken stops a token from working.
	RevokeToken(ctx context.Context, id int64) error
	// StartTOTP gives the signed-in user a new authenticator secret, not yet
	// in force, and the otpauth:// address to scan.
	StartTOTP(ctx context.Context) (secret, url string, err error)
	// EnableTOTP puts the secret in force once the user shows a code from it.
	EnableTOTP(ctx context.Context, code string) error
	// DisableTOTP stops asking for codes; it takes a current code.
	DisableTOTP(ctx context.Context, code string) error
}

// Token prefixes tell session tokens from API tokens at a glance.
const (
	SessionTokenPrefix = "kws_"
	APITokenPrefix     = "kwt_"
)
