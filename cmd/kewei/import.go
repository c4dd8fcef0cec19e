package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/progress"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// errRowsFailed makes the exit status 1 when rows failed, so scripts notice.
var errRowsFailed = errors.New("rows failed")

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import")
	dry := fs.Bool("dry-run", false, "check every row and write the problem report, importing nothing")
	mapping := fs.String("mapping", "", "a JSON file mapping column headers to fields, e.g. {\"手机号码\": \"phone\", \"内部编号\": \"-\"}")
	create := fs.Bool("create-customers", false, "make a customer for each unknown customer number instead of failing its rows")
	again := fs.Bool("again", false, "import a file that was imported before (rows already in Kewei are still skipped)")
	report := fs.String("report", "", "where to write the problem report (default NAME.report.csv in the current folder, when there are problems)")
	as := fs.String("as", "", "import as this user, within their data scope (default: as the system, owner-less rows go to the shared pool)")
	rebuild := fs.String("rebuild-indexes", "auto", "auto (for files over 32 MB), yes or no: drop indexes during the import and rebuild them at its end")
	batch := fs.Int("batch", importer.DefaultBatchLines, "lines per transaction; a resumed import must use the same")
	cfg, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errUsage
	}
	kind, path := importer.Kind(pos[0]), pos[1]
	if !slices.Contains([]string{"auto", "yes", "no"}, *rebuild) {
		return fmt.Errorf("--rebuild-indexes must be auto, yes or no")
	}
	if !slices.Contains(importer.Kinds, kind) {
		return fmt.Errorf("no import of %q: use customers, contacts, holdings, transactions or interactions", kind)
	}
	opt := importer.Options{Kind: kind, Path: path, DryRun: *dry, CreateCustomers: *create, Again: *again,
		Location: cfg.Location(), BatchLines: *batch, RebuildIndexes: strings.TrimPrefix(*rebuild, "auto")}
	if *mapping != "" {
		if opt.Overrides, err = importer.LoadOverrides(*mapping); err != nil {
			return err
		}
	}
	// Two readers are plenty for one import, and each reader's page cache
	// counts against the import's memory.
	db, err := sqlstore.Open(ctx, cfg.Get("db"), sqlstore.Options{ReadConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	// A large file makes much short-lived garbage; a soft limit keeps the
	// heap from growing to twice what it holds.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(192 << 20))
	actx := system(ctx)
	if *as != "" {
		if actx, err = actAs(ctx, db, *as); err != nil {
			return err
		}
	}
	label := "importing " + string(kind)
	if *dry {
		label = "checking " + string(kind)
	}
	bar := progress.New(e.stderr, label, 0)
	opt.Progress = func(imp *kewei.Import, done float64) { bar.Set(imp.Lines, done) }
	r := &importer.Runner{Store: sqlstore.NewImportStore(db), Fields: sqlstore.NewCustomFieldService(db).FindCustomFields, Now: db.Now}
	start := time.Now()
	imp, err := r.Run(actx, opt)
	if imp == nil {
		return err
	}
	bar.Done()
	verb := "imported"
	if *dry {
		verb = "would import"
	}
	fmt.Fprintf(e.stdout, "import %d: %d lines in %s: %s %d, skipped %d already in Kewei or repeated, %d failed\n",
		imp.ID, imp.Lines, time.Since(start).Round(time.Millisecond), verb, imp.Imported, imp.Skipped, imp.Failed)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(e.stdout, "cancelled after %d batches; run the same command again to resume\n", imp.Batches)
	}
	if imp.Failed+imp.Skipped > 0 || hasWarnings(ctx, r.Store, actx, imp.ID) {
		if *report == "" {
			*report = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".report.csv"
		}
		if werr := writeReport(e, r.Store, actx, imp.ID, *report); werr != nil {
			return werr
		}
		fmt.Fprintf(e.stdout, "problems by row: %s\n", *report)
	}
	if err == nil && imp.Failed > 0 {
		return errRowsFailed
	}
	return err
}

// actAs returns a context acting as the named user.
func actAs(ctx context.Context, db *sqlstore.DB, name string) (context.Context, error) {
	u, err := sqlstore.NewUserService(db).FindUserByName(system(ctx), name)
	if err != nil {
		return nil, err
	}
	a, err := db.ActorFor(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return kewei.WithActor(ctx, a), nil
}

// writeReport writes an import's problems to path, in Chinese unless the
// environment's LANG asks for English.
func writeReport(e *env, s kewei.ImportStore, actx context.Context, id int64, path string) error {
	cats, err := i18n.Load()
	if err != nil {
		return err
	}
	lang := e.getenv("LC_ALL")
	if lang == "" {
		lang = e.getenv("LANG")
	}
	header, label := importer.ReportLabels(cats.For(lang))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	rep, err := importer.NewReport(f, header, label)
	if err == nil {
		err = s.ImportProblems(actx, id, rep.Write)
	}
	if err == nil {
		err = rep.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// hasWarnings reports whether an import noted anything about rows it
// imported.
func hasWarnings(_ context.Context, s kewei.ImportStore, actx context.Context, id int64) bool {
	found := errors.New("found")
	return errors.Is(s.ImportProblems(actx, id, func(kewei.ImportProblem) error { return found }), found)
}
