package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/password"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, e, args[1:])
	case "list":
		return userList(ctx, e, args[1:])
	case "passwd":
		return userPasswd(ctx, e, args[1:])
	}
	return errUsage
}

func userAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user add")
	name := fs.String("name", "", "sign-in name (required)")
	role := fs.String("role", "", "administrator, manager, consultant, service or auditor (required)")
	display := fs.String("display-name", "", "the name colleagues know, such as 王丽")
	email := fs.String("email", "", "email address")
	team := fs.String("team", "", "the name of the user's team")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating a one-time one")
	cfg, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return fmt.Errorf("--name and --role are required (roles: %s)", strings.Join(kewei.Role("").Enum(), ", "))
	}
	pw, oneTime := password.Random(16), true
	if *stdin {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		pw, oneTime = strings.TrimRight(line, "\r\n"), false
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := services(db, cfg)
	u := &kewei.User{Name: *name, DisplayName: *display, Email: *email, Role: kewei.Role(*role), MustChangePassword: oneTime}
	if *team != "" {
		teams, err := svc.Teams.FindTeams(system(ctx))
		if err != nil {
			return err
		}
		for _, t := range teams {
			if t.Name == *team {
				u.TeamID = t.ID
			}
		}
		if u.TeamID == 0 {
			return fmt.Errorf("--team: there is no team %q (kewei team add --name %q)", *team, *team)
		}
	}
	if err := svc.Users.CreateUser(system(ctx), u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s (%s), id %d\n", u.Name, u.Role, u.ID)
	if oneTime {
		fmt.Fprintf(e.stdout, "one-time password: %s (to be changed at first sign-in)\n", pw)
	}
	return nil
}

func userList(ctx context.Context, e *env, args []string) error {
	cfg, err := parse(e, newFlags(e, "user list"), args)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := services(db, cfg).Users.FindUsers(system(ctx), kewei.UserFilter{IncludeDisabled: true})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tDISPLAY NAME\tROLE\tSTATUS")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.DisplayName, u.Role, status)
	}
	return tw.Flush()
}

func userPasswd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user passwd")
	name := fs.String("name", "", "sign-in name (required)")
	cfg, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *name == "" {
		return fmt.Errorf("--name is required")
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	users := services(db, cfg).Users
	u, err := users.FindUserByName(system(ctx), *name)
	if err != nil {
		return err
	}
	pw := password.Random(16)
	if err := users.SetPassword(system(ctx), u.ID, "", pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "one-time password for %s: %s (to be changed at next sign-in)\n", u.Name, pw)
	return nil
}
