package kewei

import (
	"context"
	"io"
	"time"
)

// Import statuses.
const (
	ImportRunning   = "running"
	ImportDone      = "done"
	ImportFailed    = "failed"
	ImportCancelled = "cancelled"
)

// Import is one file being loaded, or loaded, and how far it got. An import
// is known by its kind and the checksum of its file: loading the same file
// again resumes it instead of repeating it.
type Import struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind" enum:"customers,contacts,holdings,transactions,interactions"`
	FileName   string     `json:"file_name"`
	Size       int64      `json:"size" doc:"The file's size in bytes; large files load with indexes rebuilt at the end."`
	Checksum   string     `json:"checksum" doc:"SHA-256 of the file."`
	Status     string     `json:"status" enum:"running,done,failed,cancelled"`
	DryRun     bool       `json:"dry_run"`
	Big        bool       `json:"big" doc:"Indexes are dropped during the import and rebuilt at its end, as for a large file."`
	Lines      int        `json:"lines" doc:"Data lines read so far."`
	Imported   int        `json:"imported"`
	Skipped    int        `json:"skipped" doc:"Rows already in Kewei (same number), not imported again."`
	Failed     int        `json:"failed" doc:"Rows with problems, listed in the report."`
	Batches    int        `json:"batches" doc:"Batches committed; a resumed import starts after them."`
	Progress   float64    `json:"progress" doc:"Share of the file read, 0 to 1, while the import runs in this server; 1 when finished."`
	Error      string     `json:"error"`
	ActorID    int64      `json:"actor_id"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// ImportRequest is an import asked for through the API or the pages.
type ImportRequest struct {
	Kind            string            `json:"kind" query:"kind" enum:"customers,contacts,holdings,transactions,interactions"`
	FileName        string            `json:"file_name" query:"file_name" doc:"The file's name, for the list of imports."`
	DryRun          bool              `json:"dry_run" query:"dry_run" doc:"Check every row and report problems, importing nothing."`
	CreateCustomers bool              `json:"create_customers" query:"create_customers" doc:"Make a customer for each unknown customer number instead of failing its rows."`
	Again           bool              `json:"again" query:"again" doc:"Import a file that was imported before; rows already in Kewei are still skipped."`
	Mapping         map[string]string `json:"mapping" doc:"Column header to field, ahead of the built-in names; \"-\" ignores a column."`
}

// ImportService runs imports in the background and reports on them.
type ImportService interface {
	// StartImport stores the uploaded file, checks its header and starts
	// importing it; it returns once the import is recorded. A file whose
	// header cannot be mapped is refused with EINVALID.
	StartImport(ctx context.Context, req ImportRequest, file io.Reader) (*Import, error)
	// CancelImport stops a running import after its current batch; it can
	// be resumed by importing the same file again.
	CancelImport(ctx context.Context, id int64) error
	// FindImport returns one import, with its progress.
	FindImport(ctx context.Context, id int64) (*Import, error)
	// FindImports returns the latest imports.
	FindImports(ctx context.Context) ([]*Import, error)
	// ImportProblems calls fn with each problem of the import, by line.
	ImportProblems(ctx context.Context, id int64, fn func(ImportProblem) error) error
}

// ImportProblem is why a row of a file, or one of its values, was not
// imported.
type ImportProblem struct {
	Line    int    `json:"line" doc:"The line of the file (the header is line 1)."`
	Column  string `json:"column" doc:"The column's header, or the field when no column holds it."`
	Value   string `json:"value"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// UserRef is a user as an import names them.
type UserRef struct {
	ID     int64
	TeamID int64
}

// TransactionKey is a transaction as an import knows it: whose, and its
// number in the file.
type TransactionKey struct {
	CustomerID int64
	ExternalID string
}

// ImportStore is what an import needs from the store. Each batch is written
// with the import's progress and problems in one transaction, so a crash
// leaves whole batches and a record of them.
type ImportStore interface {
	// BeginImport records a new import, or finds the unfinished one of the
	// same kind and checksum and returns it to resume; a finished one is
	// refused with ECONFLICT unless again is set. Dry runs never resume.
	BeginImport(ctx context.Context, imp *Import, again bool) error
	// NewID returns a fresh id for a record the import builds.
	NewID() int64
	// ResolveCustomers maps customer numbers (external ids) to the ids of
	// customers in the actor's scope.
	ResolveCustomers(ctx context.Context, refs []string) (map[string]int64, error)
	// ResolveUsers maps active users' sign-in and display names to them.
	ResolveUsers(ctx context.Context) (map[string]UserRef, error)
	// ExistingCustomers returns which customer numbers exist, in any scope.
	ExistingCustomers(ctx context.Context, refs []string) (map[string]bool, error)
	// ExistingTransactions returns which of the keys exist.
	ExistingTransactions(ctx context.Context, keys []TransactionKey) (map[TransactionKey]bool, error)
	// AnyTransactionNumbers reports whether any transaction has a number
	// (external id): when none has as an import begins, its rows cannot
	// clash with earlier ones and need not be looked up.
	AnyTransactionNumbers(ctx context.Context) (bool, error)
	// WriteBatch stores a batch as batch number n of the import, with its
	// problems and the import's counters, in one transaction. A dry run
	// writes the problems and counters only.
	WriteBatch(ctx context.Context, imp *Import, n int, b *Batch, probs []ImportProblem) error
	// EndImport finishes the import's bulk work and records its outcome.
	EndImport(ctx context.Context, imp *Import) error
	// FindImport returns one import the actor ran, or any for
	// administrators.
	FindImport(ctx context.Context, id int64) (*Import, error)
	// FindImports returns the latest imports.
	FindImports(ctx context.Context) ([]*Import, error)
	// ImportProblems calls fn with each problem of the import, by line.
	ImportProblems(ctx context.Context, id int64, fn func(ImportProblem) error) error
}
