package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/export"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/progress"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export")
	format := fs.String("format", "csv", "csv, xlsx or vcf (vCards of individual customers and of companies' contacts)")
	out := fs.String("out", "", "the file to write (default customers-DATE.FORMAT in the current folder)")
	as := fs.String("as", "", "export as this user: their data scope and masking apply (default: as the system, everything unmasked)")
	lang := fs.String("lang", "", "zh-CN or en for the column names (default from LANG, else Chinese)")
	q := fs.String("q", "", "search: name, pinyin, phone, email or company")
	tier := fs.String("tier", "", "value tiers, comma-separated, e.g. A,B")
	stage := fs.String("stage", "", "stages, comma-separated: prospect, customer, lost")
	owner := fs.String("owner", "", "an owner's user id, or none for the shared pool")
	region := fs.String("region", "", "a province, or province/city")
	tag := fs.String("tag", "", "a tag")
	cfg, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "customers" {
		return errUsage
	}
	if !slices.Contains(export.Formats, *format) {
		return fmt.Errorf("--format must be csv, xlsx or vcf")
	}
	f := kewei.CustomerFilter{Query: *q, Tag: *tag}
	f.Province, f.City, _ = strings.Cut(*region, "/")
	for _, t := range splitComma(*tier) {
		f.Tiers = append(f.Tiers, kewei.Tier(t))
	}
	for _, s := range splitComma(*stage) {
		f.Stages = append(f.Stages, kewei.Stage(s))
	}
	switch *owner {
	case "":
	case "none":
		f.OwnerID = new(int64)
	default:
		id, err := strconv.ParseInt(*owner, 10, 64)
		if err != nil {
			return fmt.Errorf("--owner must be a user id or none")
		}
		f.OwnerID = &id
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	actx := system(ctx)
	if *as != "" {
		if actx, err = actAs(ctx, db, *as); err != nil {
			return err
		}
	}
	if *out == "" {
		_, ext := export.ContentType(*format)
		*out = "customers-" + time.Now().In(cfg.Location()).Format("20060102-1504") + ext
	}
	if *lang == "" {
		*lang = e.getenv("LANG")
	}
	n, err := writeExport(actx, e, db, f, *format, i18n.Match(*lang), cfg.Location(), *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d customers written to %s\n", n, *out)
	return nil
}

// writeExport writes the export to path through a temporary file, so a
// cancelled or failed export never leaves a half file behind.
func writeExport(ctx context.Context, e *env, db *sqlstore.DB, f kewei.CustomerFilter, format, locale string, loc *time.Location, path string) (int, error) {
	customers := sqlstore.NewCustomerService(db)
	total := 0
	if page, err := customers.FindCustomers(ctx, kewei.CustomerFilter{Query: f.Query, OwnerID: f.OwnerID, Tiers: f.Tiers,
		Stages: f.Stages, Province: f.Province, City: f.City, Tag: f.Tag, Limit: 1}); err == nil && !page.TotalCapped {
		total = page.Total
	}
	defs, err := sqlstore.NewCustomFieldService(db).FindCustomFields(ctx)
	if err != nil {
		return 0, err
	}
	cats, err := i18n.Load()
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kewei-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	w, err := export.New(format, tmp, cats.For(locale), locale, defs, loc)
	if err != nil {
		tmp.Close()
		return 0, err
	}
	bar := progress.New(e.stderr, "exporting customers", total)
	n, err := customers.ExportCustomers(ctx, f, kewei.ExportOptions{Format: format, Contacts: format == "vcf"},
		func(c *kewei.Customer, contacts []*kewei.Contact) error {
			bar.Add(1)
			return w.Write(c, contacts)
		})
	if err == nil {
		err = w.Close()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	bar.Done()
	if errors.Is(err, context.Canceled) {
		return n, fmt.Errorf("cancelled after %d customers; nothing written", n)
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
