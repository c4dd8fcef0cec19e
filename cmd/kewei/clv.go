package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
)

func runCLV(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "fit" {
		return errUsage
	}
	fs := newFlags(e, "clv fit")
	calEnd := fs.String("calibration-end", "", "the last day of the purchases fitted, YYYY-MM-DD (required)")
	format := fs.String("format", "text", "text or json")
	out := fs.String("out", "", "write each customer's prediction to this CSV file")
	weeks := fs.Float64("weeks", 52, "the horizon of the expected purchases, in weeks")
	months := fs.Int("months", 12, "the months of predicted value")
	discount := fs.Float64("discount", 0.10, "the yearly discount rate of predicted value (0.10 is 10%)")
	cfg, pos, err := parseArgs(e, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 || (*format != "text" && *format != "json") {
		return errUsage
	}
	end, err := kewei.ParseDate(*calEnd)
	if err != nil || end.IsZero() {
		return fmt.Errorf("--calibration-end: give the last day fitted as YYYY-MM-DD")
	}
	if *weeks <= 0 || *months < 0 || *discount < 0 || *discount >= 1 {
		return fmt.Errorf("--weeks must be positive, --months not negative and --discount between 0 and 1")
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	fit, err := tiering.FitCLV(system(ctx), sqlstore.NewTierService(db), end, *weeks, cfg.Location())
	if err != nil {
		return err
	}
	if *out != "" {
		if err := writePredictions(fit, *out, *months, *discount); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(fit)
	}
	b := fit.BGNBD
	fmt.Fprintf(e.stdout, "%d customers, %d with a repeat purchase, up to %s\n", fit.Customers, fit.Repeaters, fit.CalibrationEnd)
	fmt.Fprintf(e.stdout, "BG/NBD: r %.4f, alpha %.4f, a %.4f, b %.4f, log-likelihood %.2f\n", b.R, b.Alpha, b.A, b.B, b.LogLikelihood)
	if g := fit.GammaGamma; g != nil {
		fmt.Fprintf(e.stdout, "Gamma-Gamma on %d customers: p %.4f, q %.4f, gamma %.4f\n", g.Customers, g.P, g.Q, g.Gamma)
	} else {
		fmt.Fprintf(e.stdout, "spend not fitted: %s\n", fit.SpendError)
	}
	fmt.Fprintf(e.stdout, "a new customer makes %.3f purchases in %g weeks\n", fit.ExpectedNew, fit.Weeks)
	return nil
}

// writePredictions writes the per-customer CSV through a temporary file.
func writePredictions(fit *tiering.CLVFit, path string, months int, discount float64) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kewei-clv-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := csv.NewWriter(tmp)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	_ = w.Write([]string{"customer_id", "frequency", "recency_weeks", "age_weeks", "mean_repeat_spend", "historical_value",
		"p_alive", "expected_purchases", "expected_spend", fmt.Sprintf("predicted_value_%dm", months)})
	err = fit.Predict(months, discount, func(p tiering.Prediction) error {
		return w.Write([]string{strconv.FormatInt(p.CustomerID, 10), strconv.Itoa(p.X), f(p.Tx), f(p.T), f(p.Mean), f(p.Total),
			f(p.Alive), f(p.Purchases), f(p.Spend), f(p.Value)})
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
