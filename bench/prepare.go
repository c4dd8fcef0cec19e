package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// prepare builds the demo data set with the real `kewei demo` command and,
// beside it, times a bare load of the same rows.
func prepare(ctx context.Context, o options, rep *report) error {
	if o.reuse {
		if n, err := countCustomers(ctx, o.db); err == nil && n >= o.customers {
			fmt.Printf("reusing the %d customers in %s\n", n, o.db)
			return nil
		}
	}
	bin := filepath.Join(os.TempDir(), "kewei-bench-bin")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/kewei")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build kewei: %w", err)
	}
	if err := reset(ctx, o.db); err != nil {
		return err
	}
	if strings.HasPrefix(o.db, "postgres") {
		if err := runKewei(ctx, bin, "migrate", "--db", o.db); err != nil {
			return err
		}
	}
	fmt.Printf("kewei demo --customers %d …\n", o.customers)
	start := time.Now()
	if err := runKewei(ctx, bin, "demo", "--db", o.db, "--customers", strconv.Itoa(o.customers), "--seed", "1",
		"--as-of", "2026-11-01", "--password", "bench password 1"); err != nil {
		return err
	}
	rep.load = time.Since(start)
	if !o.bare {
		return nil
	}
	bare, err := bareLoad(ctx, o)
	if err != nil {
		return fmt.Errorf("bare load: %w", err)
	}
	rep.bareLoad = bare
	return nil
}

func runKewei(ctx context.Context, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "KEWEI_LOG_LEVEL=warn")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kewei %s: %w", args[0], err)
	}
	return nil
}

// reset empties the database: a new SQLite file, or a new PostgreSQL schema
// named by the URL's search_path.
func reset(ctx context.Context, dsn string) error {
	d, err := sqlstore.ParseDSN(dsn)
	if err != nil {
		return err
	}
	if d.Driver == "sqlite" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(d.Path + suffix)
		}
		return os.MkdirAll(filepath.Dir(d.Path), 0o755)
	}
	schema := searchPath(dsn)
	if schema == "" {
		return fmt.Errorf("give the PostgreSQL URL a search_path, such as &search_path=kewei_bench: the bench drops and recreates that schema")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema)
	return err
}

func searchPath(dsn string) string {
	_, q, _ := strings.Cut(dsn, "search_path=")
	q, _, _ = strings.Cut(q, "&")
	return q
}

func countCustomers(ctx context.Context, dsn string) (int, error) {
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.CountRows(ctx, "customers")
}

// beside names a second database next to dsn, which the bench may empty:
// name.db in the SQLite file's folder, or the PostgreSQL schema with
// _name appended.
func beside(dsn, name string) string {
	d, err := sqlstore.ParseDSN(dsn)
	if err != nil {
		return dsn
	}
	if d.Driver == "sqlite" {
		return "sqlite:" + filepath.Join(filepath.Dir(d.Path), name+".db")
	}
	if schema := searchPath(dsn); schema != "" {
		return strings.Replace(dsn, "search_path="+schema, "search_path="+schema+"_"+name, 1)
	}
	return dsn
}
