package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestMain lets a test run the program as a child process, to kill it.
func TestMain(m *testing.M) {
	if args := os.Getenv("KEWEI_TEST_CHILD"); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), argv, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
	}
	os.Exit(m.Run())
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(dir, "k.db"), "LANG": "zh_CN.UTF-8"}
	path := filepath.Join(dir, "客户.csv")
	os.WriteFile(path, []byte("客户编号,姓名,手机\nC1,张三,13812345678\nC2,李四,12\n"), 0o600)
	e, out, errOut := testEnv(vars)
	t.Chdir(dir)
	if code := run(context.Background(), []string{"import", "--dry-run", "customers", path}, e); code != 1 {
		t.Fatalf("a dry run with a bad row exits %d, want 1\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "would import 1") {
		t.Fatalf("dry run said %s", out)
	}
	report, err := os.ReadFile(filepath.Join(dir, "客户.report.csv"))
	if err != nil || !strings.Contains(string(report), "行号,列,值") || !strings.Contains(string(report), "3,手机,12,invalid_format") {
		t.Fatalf("report %q %v", report, err)
	}
	os.WriteFile(path, []byte("客户编号,姓名,手机\nC1,张三,13812345678\n"), 0o600)
	got := mustRun(t, vars, "import", "customers", path)
	if !strings.Contains(got, "imported 1,") {
		t.Fatalf("import said %s", got)
	}
	e, out, errOut = testEnv(vars)
	if code := run(context.Background(), []string{"import", "customers", path}, e); code != 1 || !strings.Contains(errOut.String(), "imported on") {
		t.Fatalf("the same file twice: exit %d %s%s", code, out, errOut)
	}
	e, _, _ = testEnv(vars)
	if code := run(context.Background(), []string{"import", "pets", path}, e); code != 1 {
		t.Fatalf("an unknown kind exits %d", code)
	}

	out2 := filepath.Join(dir, "out.csv")
	got = mustRun(t, vars, "export", "customers", "--q", "张三", "--out", out2)
	body, err := os.ReadFile(out2)
	if !strings.Contains(got, "1 customers written") || err != nil || !strings.Contains(string(body), "C1,张三,13812345678") {
		t.Fatalf("export said %s, wrote %q (%v)", got, body, err)
	}
	mustRun(t, vars, "export", "customers", "--format", "vcf", "--out", filepath.Join(dir, "out.vcf"))
	if b, _ := os.ReadFile(filepath.Join(dir, "out.vcf")); !strings.Contains(string(b), "FN:张三") {
		t.Fatalf("vcard %q", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), ".kewei-export-") {
			t.Fatalf("a temporary export file was left: %s", en.Name())
		}
	}
}

// TestImportSurvivesKill kills an import at random moments, checks after
// each kill that the database holds whole batches matching the ledger, and
// resumes until the import completes with every row exactly once.
func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; not in -short")
	}
	const customers, perCustomer, batch = 20000, 2, 250
	dir := t.TempDir()
	var cs, ts strings.Builder
	cs.WriteString("客户编号,姓名,手机,省份,城市\n")
	ts.WriteString("订单号,客户编号,日期,金额\n")
	for i := range customers {
		fmt.Fprintf(&cs, "K%05d,客户%d,139%08d,浙江省,杭州市\n", i, i, i)
		for j := range perCustomer {
			fmt.Fprintf(&ts, "D%05d-%d,K%05d,2026-0%d-1%d,%d.50\n", i, j, i, j+1, j, 100+j)
		}
	}
	files := map[string]string{"customers": filepath.Join(dir, "c.csv"), "transactions": filepath.Join(dir, "t.csv")}
	os.WriteFile(files["customers"], []byte(cs.String()), 0o600)
	os.WriteFile(files["transactions"], []byte(ts.String()), 0o600)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, driver := range sqltest.Drivers() {
		t.Run(driver, func(t *testing.T) {
			// A fast machine can finish an import before most kills land:
			// try again on a fresh database until enough of them did.
			var dsn string
			var vars map[string]string
			kills := 0
			for attempt := 0; attempt < 4 && kills < 5; attempt++ {
				dsn = sqltest.MustDSN(t, driver)
				vars = map[string]string{"KEWEI_DB": dsn}
				mustRun(t, vars, "migrate")
				kills = 0
				for _, kind := range []string{"customers", "transactions"} {
					for round := 0; ; round++ {
						if round == 40 {
							t.Fatalf("%s: not done after 40 runs", kind)
						}
						args := []string{"import", kind, files[kind], "--batch", fmt.Sprint(batch), "--report", filepath.Join(dir, "r.csv")}
						if round%2 == 1 {
							args = append(args, "--rebuild-indexes", "yes")
						}
						// Later runs get longer, so the last steps (rebuilding
						// indexes, looking for duplicates) get their turn too.
						wait := time.Duration(30+rng.IntN(250)+50*round) * time.Millisecond
						done := runChild(t, dsn, dir, args, wait)
						if !done {
							kills++
						}
						checkWholeBatches(t, dsn, kind, batch, customers, perCustomer)
						if done {
							break
						}
					}
				}
			}
			if kills < 5 {
				t.Fatalf("only %d kills landed mid-import; the test proves little", kills)
			}
			t.Logf("%d kills", kills)
			mustRun(t, vars, "audit", "verify")
			e, out, errOut := testEnv(vars)
			if code := run(context.Background(), []string{"import", "customers", files["customers"]}, e); code != 1 {
				t.Fatalf("importing the finished file again: exit %d %s%s", code, out, errOut)
			}
		})
	}
}

// runChild runs the program with args and kills it after wait; it reports
// whether the program finished first, successfully.
func runChild(t *testing.T, dsn, dir string, args []string, wait time.Duration) bool {
	t.Helper()
	argv, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KEWEI_TEST_CHILD="+string(argv), "KEWEI_DB="+dsn)
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil && !strings.Contains(out.String(), "import it again only on purpose") {
			t.Fatalf("import failed on its own: %v\n%s", err, out.String())
		}
		return true // done now, or by the run killed just after finishing
	case <-time.After(wait):
		cmd.Process.Kill() // SIGKILL: no chance to clean up
		<-exited
		return false
	}
}

// checkWholeBatches opens the database as the next start would (repairing
// a cut-short load) and checks that the rows written are exactly the
// batches the ledger records, with no duplicates.
func checkWholeBatches(t *testing.T, dsn, kind string, batch, customers, perCustomer int) {
	t.Helper()
	ctx := kewei.WithActor(context.Background(), kewei.SystemActor)
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open after a kill: %v", err)
	}
	defer db.Close()
	imports, err := sqlstore.NewImportStore(db).FindImports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, imp := range imports {
		if imp.Kind == kind {
			want = imp.Batches * batch
		}
	}
	n, distinct := countRows(t, dsn, kind)
	switch {
	case kind == "customers" && n != min(want, customers):
		t.Fatalf("%d customers written, the ledger says %d", n, want)
	case kind == "transactions" && n != min(want, customers*perCustomer):
		t.Fatalf("%d transactions written, the ledger says %d", n, want)
	case n != distinct:
		t.Fatalf("%d %s but %d distinct numbers: duplicates", n, kind, distinct)
	}
	if kind == "customers" && n > 0 {
		list, err := sqlstore.NewCustomerService(db).FindCustomers(ctx, kewei.CustomerFilter{Query: "13900000000"})
		if err != nil || len(list.Items) != 1 {
			t.Fatalf("the first customer cannot be found by phone after a kill: %+v %v", list, err)
		}
	}
}

// countRows counts a table's rows and distinct external ids, reading the
// database directly.
func countRows(t *testing.T, dsn, table string) (n, distinct int) {
	t.Helper()
	driver, src := "pgx", dsn
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		driver, src = "sqlite", path
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT external_id) FROM `+table).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	return n, distinct
}
