package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kewei-crm/kewei"
)

// DefaultBatchLines is how many lines of a file go into one transaction.
const DefaultBatchLines = 5000

// BigFile is the size above which an import drops indexes and rebuilds them
// at its end, unless told otherwise.
const BigFile = 32 << 20

// Options say what to import and how.
type Options struct {
	Kind Kind
	Path string
	// Name is the file's name as the user knows it; the path's base name
	// when empty.
	Name string
	// DryRun checks every row and reports problems, writing no records.
	DryRun bool
	// CreateCustomers makes a customer for each unknown customer number
	// instead of failing its rows.
	CreateCustomers bool
	// Again imports a file that was imported before.
	Again bool
	// RebuildIndexes is "yes", "no", or "" to decide by the file's size
	// (BigFile). Rebuilding is faster for large files but slows searches
	// for others until the import ends.
	RebuildIndexes string
	// Overrides map headers to fields, ahead of the built-in names.
	Overrides map[string]string
	// Location reads dates without a zone; UTC when nil.
	Location *time.Location
	// BatchLines is the lines per transaction; DefaultBatchLines when 0.
	// A resumed import must use the batch size it started with.
	BatchLines int
	// Progress is called after each batch with the import's counters and
	// the share of the file read so far (0 when not known).
	Progress func(imp *kewei.Import, done float64)
}

// Runner imports files through a store.
type Runner struct {
	Store kewei.ImportStore
	// Fields returns the custom field definitions.
	Fields func(context.Context) (kewei.CustomFieldSet, error)
	Now    func() time.Time
}

// Run imports one file as the actor in ctx. The file's lines go in batches
// of fixed size, each written with the ledger in one transaction, so a run
// that stops for any reason resumes at the first batch not written when it
// is started again on the same file. Cancelling ctx stops after the current
// batch; the import is then recorded as cancelled and can be resumed.
func (r *Runner) Run(ctx context.Context, opt Options) (*kewei.Import, error) {
	j, err := r.Begin(ctx, opt)
	if err != nil {
		return nil, err
	}
	return j.Run(ctx)
}

// Begin reads the file's header, maps its columns and records the import
// (or finds the one to resume); Run on the job does the rest. A header that
// cannot be mapped is refused with EINVALID before anything is recorded.
func (r *Runner) Begin(ctx context.Context, opt Options) (*Job, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if opt.Kind == Products && !actor.IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only administrators change the product catalogue")
	}
	if opt.Name == "" {
		opt.Name = filepath.Base(opt.Path)
	}
	if opt.BatchLines <= 0 {
		opt.BatchLines = DefaultBatchLines
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	sum, size, err := checksum(opt.Path)
	if err != nil {
		return nil, err
	}
	t, _, err := OpenFile(opt.Path)
	if err != nil {
		return nil, kewei.Errorf(kewei.EINVALID, "%s: %v", opt.Name, err)
	}
	j := &Job{r: r, opt: opt, actor: actor, table: t, seen: map[uint64]int{}, created: map[string]int64{}}
	if err := j.begin(ctx, sum, size); err != nil {
		t.Close()
		return nil, err
	}
	return j, nil
}

func (j *Job) begin(ctx context.Context, sum string, size int64) error {
	header, _, err := j.table.Next()
	if errors.Is(err, io.EOF) {
		return kewei.Errorf(kewei.EINVALID, "%s is empty: the first row must name the columns", j.opt.Name)
	} else if err != nil {
		return kewei.Errorf(kewei.EINVALID, "%s: %v", j.opt.Name, err)
	}
	defs, err := j.r.Fields(ctx)
	if err != nil {
		return err
	}
	if j.m, err = Map(j.opt.Kind, header, j.opt.Overrides, customLabels(defs)); err != nil {
		return kewei.Errorf(kewei.EINVALID, "%s: %v", j.opt.Name, err)
	}
	j.parser = NewParser(j.m, j.opt.Location, defs)
	j.imp = &kewei.Import{Kind: string(j.opt.Kind), FileName: j.opt.Name, Size: size, Checksum: sum, DryRun: j.opt.DryRun,
		Big: j.opt.RebuildIndexes == "yes" || (j.opt.RebuildIndexes == "" && size > BigFile)}
	if err := j.r.Store.BeginImport(ctx, j.imp, j.opt.Again); err != nil {
		return err
	}
	if j.opt.Kind == Transactions {
		if j.checkNumbers, err = j.r.Store.AnyTransactionNumbers(ctx); err != nil {
			return err
		}
	}
	if j.users, err = j.r.Store.ResolveUsers(ctx); err != nil {
		j.imp.Status, j.imp.Error = kewei.ImportFailed, err.Error()
		j.r.Store.EndImport(ctx, j.imp)
		return err
	}
	return nil
}

// Import returns the import as recorded when the job began.
func (j *Job) Import() kewei.Import { return *j.imp }

// Run imports the rest of the file and records the outcome.
func (j *Job) Run(ctx context.Context) (*kewei.Import, error) {
	defer j.table.Close()
	err := j.run(ctx)
	imp := j.imp
	switch {
	case ctx.Err() != nil:
		imp.Status, imp.Error = kewei.ImportCancelled, "cancelled"
	case err != nil:
		imp.Status, imp.Error = kewei.ImportFailed, err.Error()
	default:
		imp.Status = kewei.ImportDone
	}
	if endErr := j.r.Store.EndImport(ctx, imp); endErr != nil && err == nil {
		err = endErr
	}
	if err == nil && imp.Status == kewei.ImportCancelled {
		err = ctx.Err()
	}
	return imp, err
}

func customLabels(defs kewei.CustomFieldSet) map[string][]string {
	out := map[string][]string{}
	for _, d := range defs {
		out[d.Key] = []string{d.LabelZH, d.LabelEN}
	}
	return out
}

// checksum returns the SHA-256 of a file and its size.
func checksum(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Job is one run of an import.
type Job struct {
	r      *Runner
	opt    Options
	imp    *kewei.Import
	actor  *kewei.Actor
	m      *Mapping
	users  map[string]kewei.UserRef
	parser *Parser
	table  Table
	seen   map[uint64]int // customer numbers in the file (hashed) → first line
	// checkNumbers is set when transactions with numbers existed as the
	// import began, so each imported number must be looked up.
	checkNumbers bool
	created      map[string]int64 // customers made for unknown numbers
}

// pending is a batch of lines read but not yet written.
type pending struct {
	lines int
	rows  []*Row
	probs []Problem
	bad   map[int]bool // lines with problems
}

func (j *Job) run(ctx context.Context) error {
	n, p := 0, &pending{bad: map[int]bool{}}
	for {
		rec, line, err := j.table.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rowErr *RowError
		if err != nil && !errors.As(err, &rowErr) {
			return fmt.Errorf("read %s after line %d: %w", j.opt.Name, line, err)
		}
		p.lines++
		switch {
		case rowErr != nil:
			p.fail(Problem{Line: rowErr.Line, Reason: ReasonUnreadable, Message: rowErr.Err.Error()})
		case blank(rec):
		default:
			row, probs := j.parser.Parse(line, rec)
			for _, pr := range probs {
				if row != nil {
					p.probs = append(p.probs, pr) // a warning
				} else {
					p.fail(pr)
				}
			}
			if row != nil && n >= j.imp.Batches {
				p.rows = append(p.rows, row)
			}
		}
		if p.lines == j.opt.BatchLines {
			if err := j.flush(ctx, n, p); err != nil {
				return err
			}
			n, p = n+1, &pending{bad: map[int]bool{}}
		}
	}
	if p.lines > 0 {
		return j.flush(ctx, n, p)
	}
	return nil
}

func (p *pending) fail(pr Problem) {
	p.probs = append(p.probs, pr)
	p.bad[pr.Line] = true
}

func blank(rec []string) bool {
	for _, v := range rec {
		if v != "" {
			return false
		}
	}
	return true
}

// flush resolves and writes batch n, unless an earlier run wrote it.
func (j *Job) flush(ctx context.Context, n int, p *pending) error {
	if n < j.imp.Batches {
		j.progress()
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b := &kewei.Batch{}
	var imported int
	var err error
	switch j.m.Kind {
	case Customers:
		imported, err = j.customers(ctx, p, b)
	case Products:
		imported = j.products(p, b)
	default:
		imported, err = j.records(ctx, p, b)
	}
	if err != nil {
		return err
	}
	skipped := 0
	for _, pr := range p.probs {
		if pr.Reason == ReasonDuplicateLine || pr.Reason == ReasonAlreadyImported {
			skipped++
		}
	}
	j.imp.Lines += p.lines
	j.imp.Skipped += skipped
	j.imp.Failed += len(p.bad) - skipped
	j.imp.Imported += imported
	if err := j.r.Store.WriteBatch(ctx, j.imp, n, b, p.probs); err != nil {
		return err
	}
	j.progress()
	return nil
}

func (j *Job) progress() {
	if j.opt.Progress != nil {
		j.opt.Progress(j.imp, j.table.Done())
	}
}

// column is the header of the column that holds a field.
func (j *Job) column(field string) string {
	if i, ok := j.m.Columns[field]; ok && i < len(j.m.Headers) {
		return j.m.Headers[i]
	}
	return field
}

// stamp gives a new record its id, times and version.
func (j *Job) stamp(id *int64, created, updated *time.Time, version *int) {
	now := j.r.Now()
	*id, *created, *updated, *version = j.r.Store.NewID(), now, now, 1
}
