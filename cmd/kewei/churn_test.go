package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeChurnCSV writes n rows whose "left" column follows tenure and plan.
func writeChurnCSV(t *testing.T, n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	b.WriteString("id,tenure,plan,monthly,left\n")
	plans := []string{"basic", "plus", "pro"}
	for i := range n {
		tenure := rng.IntN(72)
		plan := plans[rng.IntN(3)]
		left := "No"
		odds := 0.6 - float64(tenure)/100
		if plan == "basic" {
			odds += 0.25
		}
		if rng.Float64() < odds {
			left = "Yes"
		}
		monthly := ""
		if rng.IntN(10) > 0 {
			monthly = fmt.Sprintf("%.2f", 20+rng.Float64()*80)
		}
		fmt.Fprintf(&b, "c%d,%d,%s,%s,%s\n", i, tenure, plan, monthly, left)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("churn-%d.csv", seed))
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChurnEvaluate(t *testing.T) {
	train, test := writeChurnCSV(t, 1500, 1), writeChurnCSV(t, 600, 2)
	out, errOut, code := runCmd(t, "churn", "evaluate", "--train", train, "--cv", "3", "--label", "left", "--id", "id", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep churnReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Rows != 1500 || len(rep.Model.Folds) != 3 || rep.Model.ROCAUC < 0.65 || rep.Baseline.Algorithm != "logistic" ||
		len(rep.Features) != 3 || rep.Features[2].Kind != "numeric" {
		t.Errorf("report %+v", rep)
	}
	out, errOut, code = runCmd(t, "churn", "evaluate", "--train", train, "--test", test, "--label", "left",
		"--positive", "Yes", "--drop", "id,monthly", "--model", "gbdt")
	if code != 0 || !strings.Contains(out, "gbdt") || !strings.Contains(out, "ROC AUC") {
		t.Errorf("exit %d: %s %s", code, out, errOut)
	}
	for _, c := range [][]string{
		{"--train", train, "--label", "churned"},
		{"--train", train, "--label", "left", "--positive", "Maybe"},
		{"--train", train, "--label", "left", "--test", test, "--cv", "3"},
		{"--train", filepath.Join(t.TempDir(), "none.csv"), "--label", "left"},
	} {
		if _, errOut, code := runCmd(t, append([]string{"churn", "evaluate"}, c...)...); code == 0 || errOut == "" {
			t.Errorf("%v: exit %d, %q", c, code, errOut)
		}
	}
}

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	e, out, errOut := testEnv(map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(t.TempDir(), "k.db")})
	code := run(context.Background(), args, e)
	return out.String(), errOut.String(), code
}
