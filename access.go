package kewei

import "context"

// Scope is how much of an object a role sees: its own records, its team's,
// all, or none.
type Scope string

// Scopes, narrowest first.
const (
	ScopeNone Scope = "none"
	ScopeOwn  Scope = "own"
	ScopeTeam Scope = "team"
	ScopeAll  Scope = "all"
)

// ScopeValues lists every scope, narrowest first.
var ScopeValues = []Scope{ScopeNone, ScopeOwn, ScopeTeam, ScopeAll}

// Enum lists the allowed values.
func (Scope) Enum() []string { return enumStrings(ScopeValues) }

// Object is a kind of data that scopes govern.
type Object string

// Objects: customers (and everything recorded about them), their personal
// data unmasked, and the audit log.
const (
	ObjectCustomers Object = "customers"
	ObjectPII       Object = "pii"
	ObjectAudit     Object = "audit"
)

// Objects lists every object.
var Objects = []Object{ObjectCustomers, ObjectPII, ObjectAudit}

// Enum lists the allowed values.
func (Object) Enum() []string { return enumStrings(Objects) }

// ScopeRule is one role's scope on one object.
type ScopeRule struct {
	Role   Role   `json:"role"`
	Object Object `json:"object"`
	Scope  Scope  `json:"scope"`
}

// Validate checks that the rule names a known role, object and scope, and
// that the audit log is either all or nothing.
func (r *ScopeRule) Validate() error {
	var p Problems
	checkEnum(&p, "role", r.Role, Roles, true)
	checkEnum(&p, "object", r.Object, Objects, true)
	checkEnum(&p, "scope", r.Scope, ScopeValues, true)
	if r.Object == ObjectAudit && r.Scope != ScopeAll && r.Scope != ScopeNone {
		p.Add("scope", ReasonUnknownChoice, "the audit log is seen whole or not at all: all or none")
	}
	return p.Err()
}

// ScopeOf returns the actor's scope on an object; the system sees all.
func (a *Actor) ScopeOf(o Object) Scope {
	switch {
	case a == nil:
		return ScopeNone
	case a.System:
		return ScopeAll
	}
	if s, ok := a.Scopes[o]; ok {
		return s
	}
	return ScopeNone
}

// Covers reports whether the actor's scope on o includes a record owned by
// ownerID, a member of team ownerTeam.
func (a *Actor) Covers(o Object, ownerID, ownerTeam int64) bool {
	switch a.ScopeOf(o) {
	case ScopeAll:
		return true
	case ScopeTeam:
		return (ownerID != 0 && ownerID == a.UserID) || (ownerTeam != 0 && contains(a.TeamIDs, ownerTeam))
	case ScopeOwn:
		return ownerID != 0 && ownerID == a.UserID
	}
	return false
}

// AccessService keeps the scope of each role on each object.
type AccessService interface {
	// FindScopes returns every rule.
	FindScopes(ctx context.Context) ([]ScopeRule, error)
	// SetScope changes one rule (administrators only); it takes effect at
	// the next sign-in or token use.
	SetScope(ctx context.Context, r ScopeRule) error
}
