package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/recommend"
)

func runRecommend(_ context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "evaluate" {
		return errUsage
	}
	fs := newFlags(e, "recommend evaluate")
	train := fs.String("train", "", "transaction lines to learn from: CSV (UTF-8 or GBK) or XLSX (required)")
	test := fs.String("test", "", "the lines that follow them, to judge on (required)")
	k := fs.Int("k", 10, "recommendations per customer")
	newOnly := fs.Bool("new-only", false, "recommend, and count, only products the customer never bought")
	mapping := fs.String("mapping", "", "a JSON file mapping headers to fields, as kewei import takes")
	format := fs.String("format", "text", "text or json")
	_, pos, err := parseArgs(e, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 || *train == "" || *test == "" || *k < 1 || (*format != "text" && *format != "json") {
		return errUsage
	}
	var overrides map[string]string
	if *mapping != "" {
		if overrides, err = importer.LoadOverrides(*mapping); err != nil {
			return err
		}
	}
	trainLines, trainSkipped, err := readLines(*train, overrides)
	if err != nil {
		return err
	}
	testLines, testSkipped, err := readLines(*test, overrides)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d training lines, %d test lines\n", len(trainLines), len(testLines))
	ev, _ := recommend.Evaluate(trainLines, testLines, *k, *newOnly, recommend.Options{})
	rep := struct {
		Train        string `json:"train"`
		Test         string `json:"test"`
		TrainLines   int    `json:"train_lines"`
		TestLines    int    `json:"test_lines"`
		TrainSkipped int    `json:"train_skipped" doc:"Lines without a customer or a product."`
		TestSkipped  int    `json:"test_skipped"`
		*recommend.Evaluation
	}{*train, *test, len(trainLines), len(testLines), trainSkipped, testSkipped, ev}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	what := "any product"
	if *newOnly {
		what = "new products only"
	}
	fmt.Fprintf(e.stdout, "%d customers in both files; %d recommendations each, %s\n", ev.Customers, *k, what)
	fmt.Fprintf(e.stdout, "%-12s %8s %10s %8s\n", "", "hit rate", "precision", "recall")
	fmt.Fprintf(e.stdout, "%-12s %8.4f %10.4f %8.4f\n", "kewei", ev.HitRate, ev.Precision, ev.Recall)
	p := ev.Popularity
	fmt.Fprintf(e.stdout, "%-12s %8.4f %10.4f %8.4f\n", "popularity", p.HitRate, p.Precision, p.Recall)
	return nil
}

// readLines reads transaction lines, their columns named as kewei import
// names them (customer, product, date, quantity); lines without a
// customer or a product are skipped and counted, a date that cannot be
// read stops it with its row.
func readLines(path string, overrides map[string]string) ([]recommend.Line, int, error) {
	t, _, err := importer.OpenFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer t.Close()
	header, _, err := t.Next()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: no header row: %w", path, err)
	}
	m, err := importer.Map(importer.Transactions, header, overrides, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	col := func(name string) int {
		if i, ok := m.Columns[name]; ok {
			return i
		}
		return -1
	}
	cc, pc, dc, qc := col("customer"), col("product"), col("date"), col("quantity")
	if pc < 0 {
		return nil, 0, fmt.Errorf("%s: no product column (product, stockcode, 商品 …)", path)
	}
	var out []recommend.Line
	skipped := 0
	for {
		row, line, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
		cell := func(i int) string {
			if i < 0 || i >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[i])
		}
		customer, product := cell(cc), cell(pc)
		if customer == "" || product == "" {
			skipped++
			continue
		}
		at, err := parseWhen(cell(dc))
		if err != nil {
			return nil, 0, fmt.Errorf("%s: row %d: column %s: %q is not a date", path, line, header[dc], cell(dc))
		}
		l := recommend.Line{Customer: customer, Product: product, At: at, Quantity: 1}
		if q, err := strconv.ParseFloat(cell(qc), 64); err == nil {
			l.Quantity = q
		}
		out = append(out, l)
	}
	return out, skipped, nil
}

var whenLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05Z07:00", "2006-01-02", "2006/1/2 15:04:05",
	"2006/1/2 15:04", "2006/1/2", "1/2/2006 15:04", "1/2/2006"}

// parseWhen reads a date or a date and time in the usual spellings.
func parseWhen(s string) (time.Time, error) {
	for _, l := range whenLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}
