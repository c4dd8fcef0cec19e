package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/progress"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
)

func runTier(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "run":
		return runTierRun(ctx, e, args[1:])
	case "report":
		return runTierReport(ctx, e, args[1:])
	}
	return errUsage
}

func runTierRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tier run")
	asOf := fs.String("as-of", "", "the last day counted, YYYY-MM-DD (default today)")
	window := fs.String("window", "12m", "how far RFM looks back: 12m, any number of months such as 24m, or all")
	cfg, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return errUsage
	}
	req := tiering.Request{Location: cfg.Location()}
	if req.AsOf, err = kewei.ParseDate(*asOf); err != nil {
		return fmt.Errorf("--as-of: %v", err)
	}
	if req.Window, err = kewei.ParseWindow(*window); err != nil {
		return fmt.Errorf("--window: %v", err)
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	var bar *progress.Bar
	req.Progress = func(step string, done, total int) {
		if bar == nil {
			bar = progress.New(e.stderr, "re-tiering", total)
		}
		bar.Set(done, 0)
	}
	run, err := tiering.Run(system(ctx), sqlstore.NewTierService(db), req)
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err
	}
	if err := db.Optimize(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "run %d: %d customers re-tiered as of %s in %s, %d changed tier\n",
		run.ID, run.Customers, run.AsOf, time.Since(start).Round(time.Millisecond), run.Changed)
	return nil
}

func runTierReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tier report")
	format := fs.String("format", "text", "text or json")
	as := fs.String("as", "", "report as this user: their data scope applies (default: everyone)")
	team := fs.Int64("team", 0, "only the customers of this team's members")
	province := fs.String("province", "", "only customers in this province")
	line := fs.String("line", "", "only customers a rule of this business line tiered")
	cfg, pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || (*format != "text" && *format != "json") {
		return errUsage
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
	rep, err := tiering.BuildReport(actx, sqlstore.NewTierService(db), kewei.ValueFilter{TeamID: *team, Province: *province, Line: *line})
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(e.stdout, rep)
	return nil
}

func printReport(w io.Writer, r *kewei.ValueReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tier\tcustomers\tshare\trevenue\tshare\tprofit\tshare\t")
	for _, t := range r.Tiers {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", t.Tier, t.Customers, pct(float64(t.Customers), float64(r.Customers)),
			t.Revenue, pct(t.Revenue.Float(), r.Revenue.Float()), t.Profit, pct(t.Profit.Float(), r.Profit.Float()))
	}
	fmt.Fprintf(tw, "all\t%d\t\t%s\t\t%s\t\t\n", r.Customers, r.Revenue, r.Profit)
	tw.Flush()
	fmt.Fprintf(w, "\nrevenue held by the top 1%%: %.1f%%, top 5%%: %.1f%%, top 20%%: %.1f%%\n", r.Top1*100, r.Top5*100, r.Top20*100)
	if len(r.Segments) > 0 {
		fmt.Fprintln(w, "\nRFM segments:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range r.Segments {
			fmt.Fprintf(tw, "  %s\t%d\t%s\n", s.Segment, s.Customers, s.Revenue)
		}
		tw.Flush()
	}
}

func pct(part, whole float64) string {
	if whole == 0 {
		return "-"
	}
	return strconv.FormatFloat(part/whole*100, 'f', 1, 64) + "%"
}
