package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/kewei-crm/kewei"
)

// openPostgres opens two pools through pgx: one for writes, and one whose
// sessions are read-only (default_transaction_read_only), so that a read,
// which runs without BEGIN and COMMIT, still cannot write. With River's
// four, a process opens at most 32 connections, so three fit PostgreSQL's
// default of 100.
func (db *DB) openPostgres(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(db.dsn.URL)
	if err != nil {
		return kewei.Errorf(kewei.EINVALID, "the PostgreSQL address is not valid: %s", err)
	}
	write := stdlib.OpenDB(*cfg)
	write.SetMaxOpenConns(pgWriteConns)
	write.SetMaxIdleConns(pgWriteConns)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return kewei.Errorf(kewei.EUNAVAILABLE, "cannot reach PostgreSQL: %s", err)
	}
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	read := stdlib.OpenDB(*rcfg)
	read.SetMaxOpenConns(pgReadConns)
	read.SetMaxIdleConns(pgReadConns)
	db.write, db.read, db.dialect = write, read, &postgresDialect{}
	return nil
}

// The pools' sizes: the committers and a few for bulk work and backups
// write; the readers serve the requests let in (see the load shedding).
const (
	pgWriteConns = pgCommitters + 4
	pgReadConns  = 16
)

type postgresDialect struct{ dollarParams }

func (*postgresDialect) name() string { return "postgres" }

func (*postgresDialect) migrationLock() string { return `SELECT pg_advisory_xact_lock(7243001)` }

// auditAppend appends a group's entries in one round trip (migration 0019):
// the lock is held from there to the commit, and writers queue on it.
func (*postgresDialect) auditAppend() string {
	return `SELECT last_seq, last_hash FROM kewei_audit_append(?)`
}

// nextSavepoint is one round trip: a statement without arguments goes by
// the simple protocol, which takes several.
func (*postgresDialect) nextSavepoint() []string { return []string{`RELEASE SAVEPOINT w; SAVEPOINT w`} }

// uniqueFields names the field behind each unique index.
var uniqueFields = map[string]string{
	"users_name_uq":            "name",
	"custom_fields_key_uq":     "key",
	"customers_external_id_uq": "external_id",
	"transactions_external_uq": "external_id",
	"saved_views_name_uq":      "name",
	"teams_name_uq":            "name",
	"contracts_number_uq":      "number",
}

func (*postgresDialect) mapError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "connection refused") {
			return kewei.Errorf(kewei.EUNAVAILABLE, "cannot reach PostgreSQL; try again")
		}
		return err
	}
	switch pe.Code {
	case "23505":
		return uniqueError(uniqueFields[pe.ConstraintName])
	case "23503":
		return kewei.Errorf(kewei.EINVALID, "a referenced record does not exist, or other records still refer to this one")
	case "23502", "23514", "22001":
		return invalidField(pe.ColumnName)
	case "40001", "40P01", "55P03":
		return kewei.Errorf(kewei.EUNAVAILABLE, "the database is busy; try again")
	case "53100":
		return kewei.Errorf(kewei.EUNAVAILABLE, "the database's disk is full; nothing was written")
	case "57014":
		return kewei.Errorf(kewei.EUNAVAILABLE, "the request was cancelled")
	}
	return fmt.Errorf("postgres %s: %w", pe.Code, err)
}
