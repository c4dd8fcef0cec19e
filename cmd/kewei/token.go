package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	fs := newFlags(e, "token "+args[0])
	user := fs.String("user", "", "the user's sign-in name")
	name := fs.String("name", "script", "what the token is for")
	days := fs.Int("days", 0, "days until the token expires; 0 for never")
	id := fs.Int64("id", 0, "the token's id (revoke)")
	cfg, err := parse(e, fs, args[1:])
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := services(db, cfg)
	ctx = system(ctx)
	switch args[0] {
	case "create", "list":
		if *user == "" {
			return fmt.Errorf("--user is required")
		}
		u, err := svc.Users.FindUserByName(ctx, *user)
		if err != nil {
			return err
		}
		if args[0] == "list" {
			tokens, err := svc.Auth.FindTokens(ctx, u.ID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tCREATED\tREVOKED")
			for _, t := range tokens {
				revoked := ""
				if t.RevokedAt != nil {
					revoked = t.RevokedAt.Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.CreatedAt.Format(time.DateTime), revoked)
			}
			return tw.Flush()
		}
		token, _, err := svc.Auth.CreateToken(ctx, u.ID, *name, time.Duration(*days)*24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		return nil
	case "revoke":
		if *id == 0 {
			return fmt.Errorf("--id is required")
		}
		if err := svc.Auth.RevokeToken(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %d\n", *id)
		return nil
	}
	return errUsage
}
