package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// sharedFile returns the path of a file of ../shared/data or skips.
func sharedFile(t *testing.T, name string) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is absent: the published-figure tests need ../shared/data beside the repository", path)
	}
	return path
}

// TestParetoOnPublishedData imports the Online Retail invoices and the CDNOW
// purchases as transactions, re-tiers, and reads the published shares from
// `kewei tier report`.
func TestParetoOnPublishedData(t *testing.T) {
	retail, cdnow := sharedFile(t, "online_retail_invoices.csv"), sharedFile(t, "cdnow_master.csv")
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			for _, c := range []struct {
				file, asOf  string
				revenue     float64
				top1, top20 float64
				customers   int
			}{
				{retail, "2011-12-10", 8911407.90, 0.318, 0.746, 4338},
				{cdnow, "1998-07-01", 2500315.63, 0.159, 0.678, 23570},
			} {
				dir := t.TempDir()
				t.Chdir(dir)
				dsn := "sqlite:" + filepath.Join(dir, "k.db")
				if driver != "sqlite" {
					dsn = sqltest.MustDSN(t, driver)
				}
				vars := map[string]string{"KEWEI_DB": dsn}
				mustRun(t, vars, "migrate")
				mustRun(t, vars, "import", "transactions", c.file, "--create-customers")
				if out := mustRun(t, vars, "tier", "run", "--window", "all", "--as-of", c.asOf); !strings.Contains(out, "re-tiered") {
					t.Fatalf("tier run said %q", out)
				}
				var rep struct {
					Customers int     `json:"customers"`
					Revenue   float64 `json:"revenue"`
					Top1      float64 `json:"top_1_share"`
					Top20     float64 `json:"top_20_share"`
					Tiers     []struct {
						Customers int `json:"customers"`
					} `json:"tiers"`
				}
				if err := json.Unmarshal([]byte(mustRun(t, vars, "tier", "report", "--format", "json")), &rep); err != nil {
					t.Fatal(err)
				}
				name := filepath.Base(c.file)
				if rep.Customers != c.customers || math.Abs(rep.Revenue-c.revenue) > 0.005 {
					t.Errorf("%s: %d customers and %.2f revenue, want %d and %.2f", name, rep.Customers, rep.Revenue, c.customers, c.revenue)
				}
				if r := math.Round(rep.Top20*1000) / 1000; r != c.top20 {
					t.Errorf("%s: top 20%% hold %.1f%%, published %.1f%%", name, rep.Top20*100, c.top20*100)
				}
				if r := math.Round(rep.Top1*1000) / 1000; r != c.top1 {
					t.Errorf("%s: top 1%% hold %.1f%%, published %.1f%%", name, rep.Top1*100, c.top1*100)
				}
				if a := rep.Tiers[0].Customers; a != int(math.Floor(float64(c.customers)*0.01+0.5)) {
					t.Errorf("%s: %d A customers, want the top 1%%", name, a)
				}
			}
		})
	}
}

// TestCLVFitOnCDNOW fits the lifetime models on the CDNOW sample as
// imported and compares them with Fader, Hardie & Lee's figures.
func TestCLVFitOnCDNOW(t *testing.T) {
	sample := sharedFile(t, "cdnow_sample.csv")
	dir := t.TempDir()
	t.Chdir(dir)
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(dir, "k.db")}
	mustRun(t, vars, "import", "transactions", sample, "--create-customers")
	out := mustRun(t, vars, "clv", "fit", "--calibration-end", "1997-09-30", "--weeks", "78", "--format", "json", "--out", "p.csv")
	var fit struct {
		Customers int `json:"customers"`
		BG        struct {
			R, Alpha, A, B float64
		} `json:"bgnbd"`
		GG struct {
			P, Q, Gamma float64
		} `json:"gamma_gamma"`
		New float64 `json:"expected_purchases_new_customer"`
	}
	if err := json.Unmarshal([]byte(out), &fit); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	within := func(what string, got, want, rel float64) {
		if math.Abs(got-want) > rel*want {
			t.Errorf("%s = %.4f, published %.4f (within %.1f%%)", what, got, want, rel*100)
		}
	}
	if fit.Customers != 2357 {
		t.Errorf("%d customers in calibration, want 2357", fit.Customers)
	}
	within("r", fit.BG.R, 0.243, 0.005)
	within("alpha", fit.BG.Alpha, 4.414, 0.005)
	within("a", fit.BG.A, 0.793, 0.005)
	within("b", fit.BG.B, 2.426, 0.005)
	within("p", fit.GG.P, 6.25, 0.01)
	within("q", fit.GG.Q, 3.74, 0.01)
	within("gamma", fit.GG.Gamma, 15.44, 0.01)
	within("E[X(78)]", fit.New, 1.858, 0.005)
	csv, err := os.ReadFile(filepath.Join(dir, "p.csv"))
	if err != nil || strings.Count(string(csv), "\n") != 2358 || !strings.HasPrefix(string(csv), "customer_id,") {
		t.Fatalf("predictions file: %d lines, %v", strings.Count(string(csv), "\n"), err)
	}
}

func TestCLVFitRefusesThinData(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(dir, "k.db")}
	os.WriteFile("t.csv", []byte("customer_id,date,amount\n1,2026-01-05,10\n2,2026-01-06,20\n1,2026-02-01,15\n"), 0o600)
	mustRun(t, vars, "import", "transactions", "t.csv", "--create-customers")
	e, out, errOut := testEnv(vars)
	if code := run(t.Context(), []string{"clv", "fit", "--calibration-end", "2026-06-30"}, e); code == 0 || !strings.Contains(errOut.String(), "too little history") {
		t.Fatalf("a fit on 2 customers: exit %d\n%s%s", code, out, errOut)
	}
}
