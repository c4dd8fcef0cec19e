package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/kewei-crm/kewei/internal/search"
)

// inputs are real customers picked at random, to search for and open.
type inputs struct {
	ids     []int64
	names   []string
	phones  []string
	owners  []int64
	surname []string
}

func sampleInputs(ctx context.Context, db *sql.DB, n int) (*inputs, error) {
	var lo, hi int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM customers`).Scan(&lo, &hi); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	in := &inputs{}
	for len(in.ids) < n {
		var id, owner sql.NullInt64
		var name, kind, phones string
		err := db.QueryRowContext(ctx, `SELECT id, name, kind, phones, owner_id FROM customers WHERE id >= $1 ORDER BY id LIMIT 1`,
			lo+rng.Int64N(hi-lo+1)).Scan(&id, &name, &kind, &phones, &owner)
		if err != nil {
			return nil, err
		}
		var ph []struct{ Number string }
		_ = json.Unmarshal([]byte(phones), &ph)
		if kind != "individual" || len(ph) == 0 || !owner.Valid {
			continue
		}
		in.ids = append(in.ids, id.Int64)
		in.names = append(in.names, name)
		in.phones = append(in.phones, ph[0].Number)
		in.owners = append(in.owners, owner.Int64)
		in.surname = append(in.surname, string([]rune(name)[:1]))
	}
	return in, nil
}

// workload is one kind of request, with the goal the issue sets for it.
type workload struct {
	name  string
	as    string // the user whose token makes the requests; the administrator when empty
	goal  goal
	paths func(i int) []string
}

type goal struct {
	pct int // 95 or 99
	max time.Duration
}

func workloads(in *inputs) []workload {
	at := func(list []string, i int) string { return list[(i+len(list))%len(list)] }
	q := func(s string) string { return "/api/v1/customers?q=" + url.QueryEscape(s) }
	return []workload{
		{"customer list, first page", "", goal{99, 50 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/customers"} }},
		{"customer list, one owner's, first page", "", goal{99, 50 * time.Millisecond},
			func(i int) []string {
				return []string{fmt.Sprintf("/api/v1/customers?owner=%d", in.owners[(i+len(in.owners))%len(in.owners)])}
			}},
		{"search by phone, last four digits", "", goal{95, 100 * time.Millisecond},
			func(i int) []string { p := at(in.phones, i); return []string{q(p[len(p)-4:])} }},
		{"search by name", "", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(at(in.names, i))} }},
		{"search by pinyin initials", "", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(search.Initials(search.Pinyin(at(in.names, i), true)))} }},
		{"search by full pinyin", "", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(strings.Join(search.Pinyin(at(in.names, i), true), ""))} }},
		{"search by one character (surname)", "", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(at(in.surname, i))} }},
		{"customer list, first page, as a manager (team scope)", "manager01", goal{99, 50 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/customers"} }},
		{"customer list, first page, as a consultant (own scope)", "consultant001", goal{99, 50 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/customers"} }},
		{"search by name, as a manager (team scope)", "manager01", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(at(in.names, i))} }},
		{"search by pinyin initials, as a consultant (own scope)", "consultant001", goal{95, 100 * time.Millisecond},
			func(i int) []string { return []string{q(search.Initials(search.Pinyin(at(in.names, i), true)))} }},
		{"page: customer list, first page (HTML)", "page", goal{99, 100 * time.Millisecond},
			func(int) []string { return []string{"/customers"} }},
		{"page: customer search by name (HTML)", "page", goal{99, 100 * time.Millisecond},
			func(i int) []string { return []string{"/customers?q=" + url.QueryEscape(at(in.names, i))} }},
		{"page: customer detail (HTML)", "page", goal{99, 100 * time.Millisecond},
			func(i int) []string {
				return []string{fmt.Sprintf("/customers/%d", in.ids[(i+len(in.ids))%len(in.ids)])}
			}},
		{"pipeline kanban (an opportunity per ten customers)", "", goal{95, 200 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/pipeline"} }},
		{"pipeline kanban, as a manager (team scope)", "manager01", goal{95, 200 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/pipeline"} }},
		{"campaign results (a lead per twenty customers), sources of a quarter's new customers", "", goal{95, 2000 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/campaigns?from=2026-08-01&to=2026-10-31"} }},
		{"staff scorecard for a month, as a manager", "manager01", goal{95, 1000 * time.Millisecond},
			func(int) []string { return []string{"/api/v1/scorecard?from=2026-10-01&to=2026-10-31"} }},
		{"customer detail with timeline", "", goal{99, 50 * time.Millisecond},
			func(i int) []string {
				id := in.ids[(i+len(in.ids))%len(in.ids)]
				return []string{fmt.Sprintf("/api/v1/customers/%d", id), fmt.Sprintf("/api/v1/customers/%d/timeline", id)}
			}},
	}
}
