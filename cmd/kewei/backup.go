package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// runBackup writes a consistent copy of the database, while it serves, to
// a new file; audited.
func runBackup(ctx context.Context, e *env, args []string) error {
	cfg, pos, err := parseArgs(e, newFlags(e, "backup"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := db.Backup(ctx, pos[0], func(table string, rows int) {
		fmt.Fprintf(e.stderr, "copied %-28s %d rows\n", table, rows)
	})
	if err != nil {
		return err
	}
	printRows(e, info)
	fmt.Fprintf(e.stdout, "backup of the %s database written to %s (schema %s)\n", db.Driver(), pos[0], info.Version)
	return sqlstore.NewAuditService(db).RecordAccess(system(ctx), kewei.ActionExport, "backup", 0,
		map[string]any{"file": pos[0], "rows": info.Rows})
}

// runRestore fills a new database with a backup, in one transaction;
// audited in the restored log.
func runRestore(ctx context.Context, e *env, args []string) error {
	cfg, pos, err := parseArgs(e, newFlags(e, "restore"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errUsage
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := db.Restore(ctx, pos[0], func(table string, rows int) {
		fmt.Fprintf(e.stderr, "restored %-28s %d rows\n", table, rows)
	})
	if err != nil {
		return err
	}
	printRows(e, info)
	fmt.Fprintf(e.stdout, "restored the %s backup of %s into the %s database\n", info.From, info.At.Format("2006-01-02 15:04:05 UTC"), db.Driver())
	return sqlstore.NewAuditService(db).RecordAccess(system(ctx), kewei.ActionBulkLoad, "restore", 0,
		map[string]any{"file": pos[0], "from": info.From, "taken_at": info.At})
}

func printRows(e *env, info *sqlstore.BackupInfo) {
	names := make([]string, 0, len(info.Rows))
	for t := range info.Rows {
		names = append(names, t)
	}
	slices.Sort(names)
	for _, t := range names {
		if info.Rows[t] > 0 {
			fmt.Fprintf(e.stdout, "%-30s %d\n", t, info.Rows[t])
		}
	}
}
