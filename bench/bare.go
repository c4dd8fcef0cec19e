package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	_ "modernc.org/sqlite"
)

var bareTables = []string{"customers", "contacts", "holdings", "transactions", "interactions"}

// bareLoad times writing the same rows as the demo into tables with the
// same columns but no secondary index, no foreign key checks and no search
// keys or tags: what the database itself can take. Generation runs on its
// own goroutine, as in kewei demo.
func bareLoad(ctx context.Context, o options) (time.Duration, error) {
	d, err := sqlstore.ParseDSN(o.db)
	if err != nil {
		return 0, err
	}
	var w bareWriter
	if d.Driver == "sqlite" {
		w, err = openBareSQLite(ctx, d.Path)
	} else {
		w, err = openBarePostgres(ctx, o.db)
	}
	if err != nil {
		return 0, err
	}
	defer w.close()
	fmt.Println("bare load of the same rows …")
	start := time.Now()
	var next int64
	batches := make(chan []sqlstore.TableRows, 4)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		genErr <- demo.Generate(ctx, demo.Options{Customers: o.customers, Seed: 1,
			AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local), Owners: []int64{1, 2, 3},
			NewID: func() int64 { next++; return next }}, func(b *kewei.Batch) error {
			batches <- sqlstore.BatchRows(b)
			return nil
		})
	}()
	for tables := range batches {
		if err := w.write(ctx, tables); err != nil {
			return 0, err
		}
	}
	if err := <-genErr; err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

type bareWriter interface {
	write(ctx context.Context, tables []sqlstore.TableRows) error
	close()
}

type bareSQLite struct {
	db   *sql.DB
	path string
}

func openBareSQLite(ctx context.Context, keweiPath string) (bareWriter, error) {
	path := filepath.Join(filepath.Dir(keweiPath), "bare.db")
	if err := reset(ctx, "sqlite:"+path); err != nil {
		return nil, err
	}
	src, err := sql.Open("sqlite", "file:"+keweiPath+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer src.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, t := range bareTables {
		var ddl string
		if err := src.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, t).Scan(&ddl); err != nil {
			return nil, fmt.Errorf("read %s's definition: %w", t, err)
		}
		if _, err := db.ExecContext(ctx, ddl); err != nil {
			return nil, err
		}
	}
	return &bareSQLite{db, path}, nil
}

func (b *bareSQLite) write(ctx context.Context, tables []sqlstore.TableRows) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		per := min(200, 32000/len(t.Cols))
		for start := 0; start < len(t.Rows); start += per {
			rows := t.Rows[start:min(start+per, len(t.Rows))]
			var args []any
			for _, r := range rows {
				args = append(args, r...)
			}
			one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.Cols)), ", ") + ")"
			q := `INSERT INTO ` + t.Table + ` (` + strings.Join(t.Cols, ", ") + `) VALUES ` +
				strings.TrimSuffix(strings.Repeat(one+", ", len(rows)), ", ")
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

func (b *bareSQLite) close() {
	b.db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(b.path + suffix)
	}
}

type barePostgres struct {
	db     *sql.DB
	schema string
}

func openBarePostgres(ctx context.Context, dsn string) (bareWriter, error) {
	src := searchPath(dsn)
	schema := src + "_bare"
	db, err := sql.Open("pgx", strings.Replace(dsn, "search_path="+src, "search_path="+schema, 1))
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
		return nil, err
	}
	for _, t := range bareTables {
		if _, err := db.ExecContext(ctx, `CREATE TABLE `+schema+`.`+t+` (LIKE `+src+`.`+t+` INCLUDING DEFAULTS)`); err != nil {
			return nil, err
		}
	}
	return &barePostgres{db, schema}, nil
}

func (b *barePostgres) write(ctx context.Context, tables []sqlstore.TableRows) error {
	conn, err := b.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, t := range tables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Cols, pgx.CopyFromRows(t.Rows)); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
}

func (b *barePostgres) close() {
	b.db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+b.schema+` CASCADE`)
	b.db.Close()
}
