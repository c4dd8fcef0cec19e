package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/churn"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/retention"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

func runChurn(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "evaluate":
		return runChurnEvaluate(e, args[1:])
	case "train", "score":
		return runChurnStore(ctx, e, args[0], args[1:])
	}
	return errUsage
}

// churnReport is what `kewei churn evaluate` prints.
type churnReport struct {
	Train    string            `json:"train"`
	Test     string            `json:"test,omitempty"`
	CV       int               `json:"cv,omitempty"`
	Label    string            `json:"label"`
	Rows     int               `json:"rows"`
	Left     int               `json:"left"`
	Features []churnFeature    `json:"features"`
	Model    *churn.Evaluation `json:"model"`
	Baseline *churn.Evaluation `json:"baseline"`
}

type churnFeature struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func runChurnEvaluate(e *env, args []string) error {
	fs := newFlags(e, "churn evaluate")
	train := fs.String("train", "", "the labelled CSV or XLSX file to train on (required)")
	test := fs.String("test", "", "a labelled file to measure on; without it, --cv")
	cv := fs.Int("cv", 0, "stratified cross-validation with this many folds (default 5 without --test)")
	label := fs.String("label", "", "the column saying who left (required)")
	positive := fs.String("positive", "", "the label value meaning \"left\" (default: 1, yes, true, churn…)")
	id := fs.String("id", "", "a column naming each row, not a feature")
	drop := fs.String("drop", "", "columns that are not features, comma-separated")
	model := fs.String("model", "blend", "blend, gbdt or logistic")
	seed := fs.Uint64("seed", 1, "the seed of the folds and the samples")
	format := fs.String("format", "text", "text or json")
	_, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	a := churn.Algorithm(*model)
	if len(pos) != 0 || *train == "" || *label == "" || (*format != "text" && *format != "json") ||
		(a != churn.Blend && a != churn.Trees && a != churn.Linear) {
		return errUsage
	}
	if *test != "" && *cv != 0 {
		return fmt.Errorf("give --test or --cv, not both")
	}
	if *test == "" && *cv == 0 {
		*cv = 5
	}
	cols := churn.Columns{Label: *label, Positive: *positive, ID: *id}
	for _, c := range strings.Split(*drop, ",") {
		if c = strings.TrimSpace(c); c != "" {
			cols.Drop = append(cols.Drop, c)
		}
	}
	d, err := readChurnFile(*train, cols)
	if err != nil {
		return err
	}
	p := churn.DefaultParams()
	p.Seed = *seed
	rep := &churnReport{Train: *train, Test: *test, CV: *cv, Label: *label, Rows: d.Rows(), Left: d.Positives()}
	for _, f := range d.Features {
		rep.Features = append(rep.Features, churnFeature{f.Name, f.Kind.String()})
	}
	fmt.Fprintf(e.stderr, "%d rows, %d left, %d features\n", rep.Rows, rep.Left, len(rep.Features))
	evaluate := func(a churn.Algorithm) (*churn.Evaluation, error) {
		if *cv > 0 {
			return churn.CrossValidate(d, *cv, a, p)
		}
		cols.Kinds = map[string]churn.Kind{}
		for _, f := range d.Features {
			cols.Kinds[f.Name] = f.Kind
		}
		t, err := readChurnFile(*test, cols)
		if err != nil {
			return nil, fmt.Errorf("--test: %w", err)
		}
		return churn.Holdout(d, t, a, p)
	}
	if rep.Model, err = evaluate(a); err != nil {
		return err
	}
	if rep.Baseline, err = evaluate(churn.Linear); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	how := fmt.Sprintf("%d-fold stratified cross-validation", *cv)
	if *test != "" {
		how = "trained on " + *train + ", measured on " + *test
	}
	fmt.Fprintf(e.stdout, "%s: %d rows, %d left (%.1f%%)\n", how, rep.Rows, rep.Left, 100*float64(rep.Left)/float64(rep.Rows))
	fmt.Fprintf(e.stdout, "%-10s %8s %8s %9s %7s\n", "model", "ROC AUC", "PR AUC", "accuracy", "F1")
	for _, ev := range []*churn.Evaluation{rep.Model, rep.Baseline} {
		fmt.Fprintf(e.stdout, "%-10s %8.4f %8.4f %9.4f %7.4f\n", ev.Algorithm, ev.ROCAUC, ev.PRAUC, ev.Accuracy, ev.F1)
	}
	for i, f := range rep.Model.Folds {
		fmt.Fprintf(e.stdout, "  fold %d   %8.4f %8.4f %9.4f %7.4f\n", i+1, f.ROCAUC, f.PRAUC, f.Accuracy, f.F1)
	}
	return nil
}

// readChurnFile reads a whole CSV (UTF-8 or GBK) or XLSX file into a data
// set; a row that cannot be read stops it, with its number.
func readChurnFile(path string, cols churn.Columns) (*churn.Dataset, error) {
	t, _, err := importer.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	header, _, err := t.Next()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", path, err)
	}
	var rows [][]string
	for {
		row, line, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// XLSX rows may stop at their last filled cell.
		for len(row) < len(header) {
			row = append(row, "")
		}
		if len(row) > len(header) {
			return nil, fmt.Errorf("%s: row %d has %d cells, the header %d", path, line, len(row), len(header))
		}
		rows = append(rows, row)
	}
	d, err := churn.FromRecords(header, rows, cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// runChurnStore trains the churn model on the CRM's own history, or
// scores every customer with the active one.
func runChurnStore(ctx context.Context, e *env, cmd string, args []string) error {
	fs := newFlags(e, "churn "+cmd)
	asOf := fs.String("as-of", "", "train: the cutoff, YYYY-MM-DD (default: the horizon before today)")
	horizon := fs.Int("horizon", retention.DefaultHorizon, "train: days after the cutoff in which a loss counts")
	label := fs.String("label", "stage,contract,inactive", "train: what counts as lost: stage, contract, inactive (comma-separated)")
	lineDays := fs.String("line-days", "", "train: days without a purchase that count as lost, per business line: 售后=365,存款=180")
	format := fs.String("format", "text", "text or json")
	cfg, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || (*format != "text" && *format != "json") {
		return errUsage
	}
	lines, err := kewei.ParseLineDays(*lineDays)
	if err != nil {
		return fmt.Errorf("--line-days: %w", err)
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	loc := cfg.Location()
	svc := &retention.Service{Store: sqlstore.NewChurnService(db), Location: loc,
		Planner: &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc}}
	var out any
	if cmd == "score" {
		run, err := svc.ScoreChurn(system(ctx), time.Now())
		if err != nil {
			return err
		}
		out = run
		if *format == "text" {
			fmt.Fprintf(e.stdout, "scored %d customers with model %d in %s\n", run.Customers, run.ModelID, run.Took)
		}
	} else {
		req := kewei.ChurnTrainRequest{HorizonDays: *horizon, Label: kewei.ChurnLabel{Lines: lines}}
		if req.AsOf, err = kewei.ParseDate(*asOf); err != nil {
			return fmt.Errorf("--as-of: give the cutoff as YYYY-MM-DD")
		}
		for _, l := range strings.Split(*label, ",") {
			switch strings.TrimSpace(l) {
			case "stage":
				req.Label.Stage = true
			case "contract":
				req.Label.Contract = true
			case "inactive":
				req.Label.Inactive = true
			default:
				return fmt.Errorf("--label: %q is not stage, contract or inactive", l)
			}
		}
		fmt.Fprintln(e.stderr, "training …")
		m, err := svc.TrainChurn(system(ctx), req)
		if err != nil {
			return err
		}
		out = m
		if *format == "text" {
			fmt.Fprintf(e.stdout, "model %d: %d customers as of %s, %d lost within %d days; ROC AUC %.3f (logistic baseline %.3f), PR AUC %.3f; took %s; every customer scored\n",
				m.ID, m.Rows, kewei.DateOf(m.AsOf.In(loc)), m.Left, m.HorizonDays, m.ROCAUC, m.Card.Baseline, m.PRAUC, m.Card.Took)
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return nil
}
