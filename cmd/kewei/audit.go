package main

import (
	"context"
	"errors"
	"fmt"
)

// errBroken makes the command exit non-zero without repeating its report.
var errBroken = errors.New("the audit chain is broken")

func runAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return errUsage
	}
	cfg, err := parse(e, newFlags(e, "audit verify"), args[1:])
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	check, err := services(db, cfg).Audit.VerifyAudit(system(ctx))
	if err != nil {
		return err
	}
	if check.BrokenAt != 0 {
		fmt.Fprintf(e.stdout, "BROKEN at entry %d: %s (%d entries before it hold)\n", check.BrokenAt, check.Reason, check.Entries)
		return errBroken
	}
	fmt.Fprintf(e.stdout, "ok: %d entries, every hash holds\n", check.Entries)
	return nil
}
