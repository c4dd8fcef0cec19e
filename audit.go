package kewei

import (
	"context"
	"encoding/json"
	"time"
)

// Audit actions.
const (
	ActionCreate       = "create"
	ActionUpdate       = "update"
	ActionDelete       = "delete"
	ActionSignIn       = "sign_in"
	ActionSignInFailed = "sign_in_failed"
	ActionSignOut      = "sign_out"
	ActionDeny         = "deny"
	ActionReveal       = "reveal"
	ActionExport       = "export"
	ActionMerge        = "merge"
	ActionUnmerge      = "unmerge"
	ActionErase        = "erase"
	ActionBulkLoad     = "bulk_load"
	ActionPassword     = "password"
	ActionRetier       = "retier"
	ActionRedeem       = "redeem"
)

// AuditActions lists the actions the log records.
var AuditActions = []string{ActionCreate, ActionUpdate, ActionDelete, ActionSignIn, ActionSignInFailed,
	ActionSignOut, ActionDeny, ActionReveal, ActionExport, ActionErase, ActionBulkLoad, ActionPassword, ActionMerge, ActionUnmerge, ActionRetier, ActionRedeem}

// AuditEntry is one line of the append-only audit log. Each entry's hash
// covers the hash of the entry before it, so changing or removing a line
// breaks every hash after it.
type AuditEntry struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id" doc:"0 for the system or an unknown user."`
	ActorName  string          `json:"actor_name"`
	RemoteAddr string          `json:"remote_addr"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type" doc:"customer, contact, holding, transaction, interaction, user, team, …"`
	ObjectID   int64           `json:"object_id"`
	CustomerID int64           `json:"customer_id" doc:"The customer the entry concerns, 0 for none."`
	Payload    json.RawMessage `json:"payload" doc:"Before and after, or the detail of the event; personal data is masked."`
	Erased     bool            `json:"erased" doc:"The payload was erased with the person it described."`
	Hash       string          `json:"hash"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	ActorID    int64
	Action     string
	ObjectType string
	ObjectID   int64
	CustomerID int64
	From, To   time.Time
	Cursor     string
	Limit      int
}

// AuditCheck is the result of walking the chain.
type AuditCheck struct {
	Entries  int64  `json:"entries"`
	BrokenAt int64  `json:"broken_at" doc:"The first entry whose hash does not hold; 0 when the chain is whole."`
	Reason   string `json:"reason"`
}

// AuditService reads the audit log and records what is not a change: reads
// of personal data, exports, denials.
type AuditService interface {
	// FindAudit returns one page of entries (auditors and administrators).
	FindAudit(ctx context.Context, f AuditFilter) (*List[*AuditEntry], error)
	// VerifyAudit walks the whole chain and reports the first broken entry.
	VerifyAudit(ctx context.Context) (*AuditCheck, error)
	// RecordAccess appends an entry for an event that changes nothing.
	RecordAccess(ctx context.Context, action, objectType string, objectID int64, detail any) error
}
