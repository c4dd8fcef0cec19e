package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/kewei-crm/kewei"
)

func runTeam(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return errUsage
	}
	fs := newFlags(e, "team "+args[0])
	name := fs.String("name", "", "the team's name (add)")
	parent := fs.String("parent", "", "the name of the team above it (add)")
	manager := fs.String("manager", "", "the sign-in name of its manager (add)")
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
	teams, err := svc.Teams.FindTeams(ctx)
	if err != nil {
		return err
	}
	if args[0] == "list" {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPARENT\tMANAGER")
		for _, t := range teams {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", t.ID, t.Name, t.ParentID, t.ManagerName)
		}
		return tw.Flush()
	}
	t := &kewei.Team{Name: *name}
	for _, p := range teams {
		if *parent != "" && p.Name == *parent {
			t.ParentID = p.ID
		}
	}
	if *parent != "" && t.ParentID == 0 {
		return fmt.Errorf("--parent: there is no team %q", *parent)
	}
	if *manager != "" {
		u, err := svc.Users.FindUserByName(ctx, *manager)
		if err != nil {
			return fmt.Errorf("--manager: %s", describe(err))
		}
		t.ManagerID = u.ID
	}
	if err := svc.Teams.CreateTeam(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created team %s, id %d\n", t.Name, t.ID)
	return nil
}

func runPrivacy(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "retention" {
		return errUsage
	}
	fs := newFlags(e, "privacy retention")
	years := fs.Int("lost-years", 0, "erase lost customers untouched for this many years (required)")
	cfg, err := parse(e, fs, args[1:])
	if err != nil {
		return err
	}
	if *years < 1 {
		return fmt.Errorf("--lost-years must be at least 1")
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := services(db, cfg).Privacy.ApplyRetention(system(ctx), *years)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "erased %d lost customers untouched for %d years\n", n, *years)
	return nil
}
