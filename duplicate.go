package kewei

import (
	"context"
	"time"
)

// Reasons two customers may be one person or firm.
const (
	DuplicatePhone       = "phone"        // the same normalized phone number
	DuplicateEmail       = "email"        // the same email address
	DuplicateNameCompany = "name_company" // the same name at the same company
)

// DuplicatePair is two customers that look like one, found when a customer
// is created or changed and after an import.
type DuplicatePair struct {
	ID         int64     `json:"id"`
	A          *Customer `json:"a" doc:"The older of the two."`
	B          *Customer `json:"b"`
	Reasons    []string  `json:"reasons" doc:"phone, email and/or name_company."`
	DetectedAt time.Time `json:"detected_at"`
}

// MergeRequest keeps one customer and folds another into it. The versions
// are the ones the user saw, so a merge never acts on changed records.
type MergeRequest struct {
	KeepID      int64 `json:"keep_id"`
	KeepVersion int   `json:"keep_version"`
	DropID      int64 `json:"drop_id"`
	DropVersion int   `json:"drop_version"`
}

// MergeWindow is how long a merge can be undone.
const MergeWindow = 30 * 24 * time.Hour

// Merge is one customer folded into another: the kept customer gained the
// other's contacts, holdings, transactions, interactions, consents and
// tags, and the fields it lacked. Until UndoBy it can be undone exactly.
type Merge struct {
	ID       int64          `json:"id"`
	KeepID   int64          `json:"keep_id"`
	DropID   int64          `json:"drop_id" doc:"The merged customer's id, which it gets back if the merge is undone."`
	DropName string         `json:"drop_name"`
	Filled   []string       `json:"filled" doc:"Fields of the kept customer filled from the other."`
	Moved    map[string]int `json:"moved" doc:"Records moved to the kept customer, by kind."`
	ActorID  int64          `json:"actor_id"`
	At       time.Time      `json:"at"`
	UndoBy   time.Time      `json:"undo_by" doc:"The merge can be undone until then."`
	UndoneAt *time.Time     `json:"undone_at"`
}

// DuplicateService finds customers that look like one and merges them.
type DuplicateService interface {
	// FindDuplicates returns open pairs whose customers are both in the
	// actor's scope, newest first.
	FindDuplicates(ctx context.Context, f DuplicateFilter) (*List[*DuplicatePair], error)
	// DismissDuplicate marks a pair as two different customers.
	DismissDuplicate(ctx context.Context, id int64) error
	// MergeCustomers folds req.DropID into req.KeepID, keeping the history
	// of both; it is audited and can be undone for MergeWindow.
	MergeCustomers(ctx context.Context, req MergeRequest) (*Merge, error)
	// UnmergeCustomers undoes a merge: the merged customer comes back with
	// its id and its records; fields filled into the kept customer are
	// emptied again unless they were changed since.
	UnmergeCustomers(ctx context.Context, mergeID int64) (*Merge, error)
	// FindMerges returns the latest merges of customers in the actor's
	// scope.
	FindMerges(ctx context.Context) ([]*Merge, error)
	// ScanDuplicates looks for duplicates of the customers created since
	// the given time, and returns how many new pairs it found.
	ScanDuplicates(ctx context.Context, since time.Time) (int, error)
}

// DuplicateFilter pages duplicate pairs; CustomerID, when set, keeps the
// pairs of one customer.
type DuplicateFilter struct {
	CustomerID int64
	Cursor     string
	Limit      int
}
