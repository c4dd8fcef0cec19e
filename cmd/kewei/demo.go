package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
	"github.com/kewei-crm/kewei/internal/password"
	"github.com/kewei-crm/kewei/internal/progress"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo")
	customers := fs.Int("customers", 0, "how many customers to make (required)")
	transactions := fs.Int("transactions", 0, "how many transactions in all (default ten per customer)")
	seed := fs.Uint64("seed", 1, "the random seed; the same seed and --as-of give the same data")
	flavour := fs.String("flavour", "mixed", "mixed, dealership or bank")
	asOf := fs.String("as-of", "", "the data set's today, YYYY-MM-DD (default today)")
	staff := fs.Int("consultants", 0, "how many consultants own the customers (default one per 2,000, at least 4)")
	pw := fs.String("password", "", "the demo users' password (default: generated and printed)")
	cfg, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *customers <= 0 || *transactions < 0 {
		return fmt.Errorf("--customers must be positive (and --transactions not negative)")
	}
	if !slices.Contains(demo.Flavours, *flavour) {
		return fmt.Errorf("--flavour must be mixed, dealership or bank")
	}
	now := time.Now().In(cfg.Location())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, cfg.Location())
	if *asOf != "" {
		if day, err = time.ParseInLocation(time.DateOnly, *asOf, cfg.Location()); err != nil {
			return fmt.Errorf("--as-of must be a date such as 2026-11-22")
		}
	}
	if *staff <= 0 {
		*staff = max(4, min(400, *customers/2000))
	}
	if *pw == "" {
		*pw = password.Random(12)
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	owners, err := demoUsers(ctx, db, *staff, *pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo users: consultant001…consultant%03d in teams of ten led by manager01…, password %s\n", *staff, *pw)
	// The load allocates many short-lived rows; collecting less often leaves
	// the second core to generating them.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	n, err := loadDemo(ctx, e, db, demo.Options{Customers: *customers, Transactions: *transactions, Seed: *seed,
		AsOf: day, Flavour: *flavour, Owners: owners, NewID: db.NewID})
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(e.stdout, "loaded %d customers, %d contacts, %d holdings, %d transactions, %d interactions in %s (%.0f rows/s)\n",
		n.Customers, n.Contacts, n.Holdings, n.Transactions, n.Interactions, el.Round(time.Millisecond),
		float64(n.total())/el.Seconds())
	return nil
}

// counts tallies what a load wrote.
type counts struct{ Customers, Contacts, Holdings, Transactions, Interactions int }

func (c counts) total() int {
	return c.Customers + c.Contacts + c.Holdings + c.Transactions + c.Interactions
}

// loadDemo generates on one goroutine and writes on another, so both cores
// work.
func loadDemo(ctx context.Context, e *env, db *sqlstore.DB, opt demo.Options) (counts, error) {
	var n counts
	bulk, err := db.StartBulk(ctx)
	if err != nil {
		return n, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type prepared struct {
		rows *sqlstore.Prepared
		n    counts
	}
	batches := make(chan prepared, 4)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		genErr <- demo.Generate(ctx, opt, func(b *kewei.Batch) error {
			rows, err := bulk.Prepare(b)
			if err != nil {
				return err
			}
			p := prepared{rows, counts{len(b.Customers), len(b.Contacts), len(b.Holdings),
				len(b.Transactions), len(b.Interactions)}}
			select {
			case batches <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	bar := progress.New(e.stderr, "customers", opt.Customers)
	for p := range batches {
		if err := bulk.Write(ctx, p.rows); err != nil {
			cancel()
			return n, err
		}
		n.Customers += p.n.Customers
		n.Contacts += p.n.Contacts
		n.Holdings += p.n.Holdings
		n.Transactions += p.n.Transactions
		n.Interactions += p.n.Interactions
		bar.Add(p.n.Customers)
	}
	bar.Done()
	if err := <-genErr; err != nil {
		return n, err
	}
	fmt.Fprintln(e.stderr, "writing search keys and building indexes …")
	start := time.Now()
	if err = bulk.Finish(ctx); err != nil {
		return n, err
	}
	fmt.Fprintf(e.stderr, "indexes built in %s\n", time.Since(start).Round(time.Millisecond))
	if err := demoCatalogue(system(ctx), db); err != nil {
		return n, err
	}
	audit := sqlstore.NewAuditService(db)
	return n, audit.RecordAccess(system(ctx), kewei.ActionBulkLoad, "demo", 0, n)
}

// demoUsers makes (or reuses) one team per ten consultants, each with a
// manager, and returns the consultants' ids.
func demoUsers(ctx context.Context, db *sqlstore.DB, consultants int, pw string) ([]int64, error) {
	ctx = system(ctx)
	users, teams := sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
	existing, err := teams.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	teamIDs := map[string]int64{}
	for _, t := range existing {
		teamIDs[t.Name] = t.ID
	}
	var all, missing []*kewei.User
	add := func(name, display string, role kewei.Role, team string) error {
		u, err := users.FindUserByName(ctx, name)
		if err == nil {
			all = append(all, u)
			return nil
		}
		if _, ok := teamIDs[team]; !ok {
			t := &kewei.Team{Name: team}
			if err := teams.CreateTeam(ctx, t); err != nil {
				return err
			}
			teamIDs[team] = t.ID
		}
		u = &kewei.User{Name: name, DisplayName: display, Role: role, TeamID: teamIDs[team]}
		missing, all = append(missing, u), append(all, u)
		return nil
	}
	for i := 1; i <= (consultants+9)/10; i++ {
		if err := add(fmt.Sprintf("manager%02d", i), fmt.Sprintf("经理%02d", i), kewei.RoleManager, fmt.Sprintf("销售%02d组", i)); err != nil {
			return nil, err
		}
	}
	for i := 1; i <= consultants; i++ {
		if err := add(fmt.Sprintf("consultant%03d", i), fmt.Sprintf("顾问%03d", i), kewei.RoleConsultant,
			fmt.Sprintf("销售%02d组", (i+9)/10)); err != nil {
			return nil, err
		}
	}
	if err := users.CreateUsers(ctx, missing, pw); err != nil {
		return nil, err
	}
	// Each team without a manager gets the manager of its number.
	current, err := teams.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range current {
		var n int
		if _, err := fmt.Sscanf(t.Name, "销售%02d组", &n); err != nil || t.ManagerID != 0 || n < 1 || n > (consultants+9)/10 {
			continue
		}
		p := kewei.Patch{Version: t.Version}
		p.Set("manager_id", all[n-1].ID)
		if _, err := teams.UpdateTeam(ctx, t.ID, p); err != nil {
			return nil, err
		}
	}
	var ids []int64
	for _, u := range all[len(all)-consultants:] {
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// demoCatalogue puts the demo's products in the catalogue by code and
// computes the holdings' due dates, which a bulk load leaves to the end.
func demoCatalogue(ctx context.Context, db *sqlstore.DB) error {
	return sqlstore.NewProductService(db).PutCatalogue(ctx, demo.Catalogue())
}
