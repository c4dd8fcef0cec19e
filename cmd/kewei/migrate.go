package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	cfg, err := parse(e, newFlags(e, "migrate"), args)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, name := range db.Applied() {
		fmt.Fprintf(e.stdout, "applied %s\n", name)
	}
	fmt.Fprintf(e.stdout, "The %s database is up to date.\n", db.Driver())
	return nil
}
