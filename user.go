package kewei

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"
)

// User is someone who signs in to Kewei.
type User struct {
	ID                 int64      `json:"id" kewei:"readonly"`
	Name               string     `json:"name" doc:"Sign-in name: letters, digits, '.', '_' or '-'."`
	DisplayName        string     `json:"display_name" doc:"The name colleagues know, such as 王丽."`
	Email              string     `json:"email"`
	Phone              string     `json:"phone"`
	Role               Role       `json:"role"`
	TeamID             int64      `json:"team_id" doc:"The user's team; 0 for none."`
	TOTPEnabled        bool       `json:"totp_enabled" kewei:"readonly" doc:"Whether sign-in asks for a one-time code."`
	Locale             string     `json:"locale" enum:"zh-CN,en" doc:"Language of the user interface."`
	Disabled           bool       `json:"disabled"`
	MustChangePassword bool       `json:"must_change_password" kewei:"readonly"`
	LastSignInAt       *time.Time `json:"last_sign_in_at" kewei:"readonly"`
	CreatedAt          time.Time  `json:"created_at" kewei:"readonly"`
	UpdatedAt          time.Time  `json:"updated_at" kewei:"readonly"`
	Version            int        `json:"version" kewei:"readonly"`
}

var userNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Locales lists the languages of the user interface.
var Locales = []string{"zh-CN", "en"}

// Validate names every bad field.
func (u *User) Validate() error {
	var p Problems
	if !userNameRE.MatchString(u.Name) {
		p.Add("name", ReasonInvalidFormat, "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	p.checkText("display_name", &u.DisplayName, false, 50)
	if u.DisplayName == "" {
		u.DisplayName = u.Name
	}
	p.checkEmail("email", &u.Email)
	if u.Phone != "" {
		n, ok := NormalizePhone(u.Phone)
		if !ok {
			p.Add("phone", ReasonInvalidFormat, "%q is not a phone number", u.Phone)
		}
		u.Phone = n
	}
	checkEnum(&p, "role", u.Role, Roles, true)
	if u.TeamID < 0 {
		p.Add("team_id", ReasonOutOfRange, "must be a team's id or 0")
	}
	if u.Locale == "" {
		u.Locale = "zh-CN"
	}
	checkEnum(&p, "locale", u.Locale, Locales, true)
	return p.Err()
}

// CheckPassword returns an EINVALID error when a new password is too weak to
// accept: fewer than 10 characters, or more than 256.
func CheckPassword(field, password string) error {
	var p Problems
	switch n := utf8.RuneCountInString(password); {
	case n < 10:
		p.Add(field, ReasonOutOfRange, "must be at least 10 characters")
	case n > 256:
		p.Add(field, ReasonTooLong, "must be at most 256 characters")
	}
	return p.Err()
}

// UserFilter selects users.
type UserFilter struct {
	Role            Role
	IncludeDisabled bool
}

// UserService keeps users.
type UserService interface {
	// FindUserByID returns one user, or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUserByName returns one user by sign-in name, or ENOTFOUND.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers returns users, ordered by name.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// CreateUser stores u with the password; an empty password leaves the
	// account unable to sign in until one is set.
	CreateUser(ctx context.Context, u *User, password string) error
	// UpdateUser applies p if p.Version is current.
	UpdateUser(ctx context.Context, id int64, p Patch) (*User, error)
	// SetPassword replaces a user's password. Users changing their own must
	// give the current one; administrators resetting another's need not, and
	// the user must then change it at next sign-in.
	SetPassword(ctx context.Context, id int64, current, next string) error
	// CountUsers returns how many users exist.
	CountUsers(ctx context.Context) (int, error)
}
