package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedPipeline gives the data set what the demo does not make: one
// opportunity for every tenth customer, spread over the six default stages,
// and a campaign whose leads are every twentieth customer. It runs once;
// a data set that has opportunities is left alone.
func seedPipeline(ctx context.Context, dsn string) error {
	raw, err := openWritable(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM opportunities`).Scan(&n); err != nil || n > 0 {
		return err
	}
	start := time.Now()
	rows, err := raw.QueryContext(ctx, `SELECT id, owner_id FROM customers WHERE owner_id IS NOT NULL ORDER BY id`)
	if err != nil {
		return err
	}
	var ids, owners []int64
	for i := 0; rows.Next(); i++ {
		var id, owner int64
		if err := rows.Scan(&id, &owner); err != nil {
			rows.Close()
			return err
		}
		if i%10 == 0 {
			ids, owners = append(ids, id), append(owners, owner)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const campaign = int64(9_000_000_000_000_000)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	if _, err := tx.ExecContext(ctx, `INSERT INTO campaigns (id, name, channel, cost, note, created_at) VALUES ($1, $2, $3, $4, '', $5)`,
		campaign, "bench campaign", "event", 100_000_000, now); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	probability := []int{10, 30, 50, 70, 100, 0}
	const batch = 400
	for lo := 0; lo < len(ids); lo += batch {
		hi := min(lo+batch, len(ids))
		var vals []string
		var args []any
		for i := lo; i < hi; i++ {
			stage := 1 + rng.IntN(6)
			closed := int64(0)
			if stage >= 5 {
				closed = now
			}
			p := len(args)
			vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, 'bench', $%d, $%d, $%d, $%d, $%d, '', $%d, $%d, $%d)",
				p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9, p+10, p+11))
			campaignID := int64(0)
			if i%2 == 0 {
				campaignID = campaign
			}
			args = append(args, campaign+1+int64(i), ids[i], owners[i], stage, 10_000+rng.Int64N(50_000_000),
				time.Date(2026, 12, 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly), probability[stage-1], campaignID, now, now, closed)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO opportunities (id, customer_id, owner_id, name, stage_id, amount, expected_close,
			probability, campaign_id, note, created_at, updated_at, closed_at) VALUES `+strings.Join(vals, ", "), args...); err != nil {
			return err
		}
		vals, args = vals[:0], args[:0]
		for i := lo; i < hi; i += 2 {
			p := len(args)
			vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, 0)", p+1, p+2, p+3))
			args = append(args, ids[i], campaign, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli())
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_leads (customer_id, campaign_id, at, actor_id) VALUES `+strings.Join(vals, ", "), args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Printf("seeded %d opportunities and %d campaign leads in %s\n", len(ids), (len(ids)+1)/2, time.Since(start).Round(time.Millisecond))
	return nil
}
