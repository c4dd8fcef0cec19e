// Package kewei is the domain of Kewei, a customer-maintenance CRM: its types,
// their validation, the service interfaces the adapters implement, and the
// error type. It imports no SQL and no HTTP.
package kewei

import "context"

// Version is the program's version, set at build time with
// -ldflags "-X github.com/kewei-crm/kewei.Version=…".
var Version = "dev"

// Role is what a user does in the team; rights follow from it.
type Role string

// The roles of DESIGN.md.
const (
	RoleAdministrator Role = "administrator"
	RoleManager       Role = "manager"
	RoleConsultant    Role = "consultant"
	RoleService       Role = "service"
	RoleAuditor       Role = "auditor"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdministrator, RoleManager, RoleConsultant, RoleService, RoleAuditor}

// Enum lists the allowed values for the API document.
func (Role) Enum() []string { return enumStrings(Roles) }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return contains(Roles, r) }

// Actor is who is asking: the signed-in user, or the system itself for
// background work and operator commands. Every service method reads it from
// the context.
type Actor struct {
	UserID int64
	Name   string
	// DisplayName is the name colleagues know, for greetings.
	DisplayName string
	Role        Role
	// System is set for work started by the program itself (jobs, CLI
	// commands run by an operator on the server); it may do everything.
	System bool
	// SessionID names the session or API token that authenticated the
	// request (a hash, never the secret), for audit and sign-out.
	SessionID string
	// RemoteAddr is where the request came from, for the audit log.
	RemoteAddr string
	// MustChangePassword is set while the user still signs in with a
	// one-time password.
	MustChangePassword bool
	// TeamID is the user's own team, 0 for none.
	TeamID int64
	// Locale is the user's language.
	Locale string
	// TeamIDs are the teams whose members' customers a team scope covers:
	// the user's team, the teams they manage, and every team below those.
	TeamIDs []int64
	// TeamMembers are the users of those teams, and the user: the owners
	// whose customers a team scope covers.
	TeamMembers []int64
	// Scopes are the role's scopes, read when the actor signed in.
	Scopes map[Object]Scope
}

// SystemActor is the actor for work the program does on its own behalf.
var SystemActor = &Actor{Name: "system", System: true, Role: RoleAdministrator}

// IsAdmin reports whether the actor may administer the installation.
func (a *Actor) IsAdmin() bool { return a != nil && (a.System || a.Role == RoleAdministrator) }

type actorKey struct{}

// WithActor returns a copy of ctx that carries a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// RequireActor returns the actor carried by ctx or an EUNAUTHORIZED error.
func RequireActor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "sign in first")
	}
	return a, nil
}

// ActorUserID returns the acting user's id, or 0 for the system or nobody.
func ActorUserID(ctx context.Context) int64 {
	if a := ActorFrom(ctx); a != nil {
		return a.UserID
	}
	return 0
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func enumStrings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
