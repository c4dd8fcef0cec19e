package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/churn"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/retention"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// savedModel is a trained churn model carried from the data set it was
// trained on to a larger one it scores.
type savedModel struct {
	Info  *kewei.ChurnModel `json:"info"`
	Model json.RawMessage   `json:"model"`
}

// churnResult is the figures of one --churn run.
type churnResult struct {
	customers, txs                int
	trainRows, trainLeft          int
	trainFeatures, fit, trainAll  time.Duration
	auc                           float64
	scored                        int
	scoreFeatures, predict, score time.Duration
	bare                          time.Duration
}

// churnBench trains the churn model on the data set in the database when
// it holds at most 150,000 customers (and keeps the model in
// bench/out/churn-model.json), else scores with the model kept there; in
// both cases it then scores every customer, each step beside the bare
// GROUP BY of the transactions the features read.
func churnBench(ctx context.Context, o options) error {
	started := time.Now()
	db, err := sqlstore.Open(ctx, o.db, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := openRaw(o.db)
	if err != nil {
		return err
	}
	defer raw.Close()
	var r churnResult
	var last int64
	if err := raw.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers), COUNT(*), COALESCE(MAX(occurred_at), 0) FROM transactions`).
		Scan(&r.customers, &r.txs, &last); err != nil {
		return err
	}
	if r.customers == 0 {
		return fmt.Errorf("the database holds no customers: run go run ./bench (or kewei demo) on it first")
	}
	now := time.UnixMilli(last).UTC().Add(time.Hour)
	fmt.Printf("%d customers, %d transactions, scoring as of %s\n", r.customers, r.txs, now.Format(time.DateOnly))
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	store := sqlstore.NewChurnService(db)
	svc := &retention.Service{Store: store, Location: time.UTC, Now: func() time.Time { return now },
		Planner: &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: time.UTC}}
	kept := filepath.Join("bench", "out", "churn-model.json")
	if err := os.MkdirAll(filepath.Dir(kept), 0o755); err != nil {
		return err
	}
	if r.customers <= 150_000 {
		asOf := now.AddDate(0, 0, -retention.DefaultHorizon)
		t0 := time.Now()
		t, err := store.ChurnData(sys, kewei.ChurnDataRequest{AsOf: asOf, HorizonDays: retention.DefaultHorizon,
			Label: kewei.ChurnLabel{Stage: true, Contract: true, Inactive: true}})
		if err != nil {
			return err
		}
		r.trainFeatures = time.Since(t0)
		fmt.Printf("training features of %d customers: %s\n", len(t.IDs), r.trainFeatures.Round(time.Millisecond))
		t0 = time.Now()
		m, err := svc.TrainChurn(sys, kewei.ChurnTrainRequest{AsOf: kewei.DateOf(asOf), HorizonDays: retention.DefaultHorizon})
		if err != nil {
			return err
		}
		r.trainAll = time.Since(t0)
		r.trainRows, r.trainLeft, r.auc = m.Rows, m.Left, m.ROCAUC
		r.fit, _ = time.ParseDuration(m.Card.Took)
		fmt.Printf("trained on %d customers (%d lost) in %s, of which the fit %s; ROC AUC %.3f\n", m.Rows, m.Left,
			r.trainAll.Round(time.Millisecond), r.fit, m.ROCAUC)
		info, model, err := store.ActiveChurnModel(sys, 0)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(savedModel{Info: info, Model: model})
		if err := os.WriteFile(kept, b, 0o644); err != nil {
			return err
		}
	} else {
		b, err := os.ReadFile(kept)
		if err != nil {
			return fmt.Errorf("no churn model to score with: run --churn on a data set of at most 150,000 customers first (%w)", err)
		}
		var sm savedModel
		if err := json.Unmarshal(b, &sm); err != nil {
			return err
		}
		if err := store.SaveChurnModel(sys, sm.Info, sm.Model); err != nil {
			return err
		}
	}
	// Scoring, in its steps, then as the nightly job runs it.
	t0 := time.Now()
	t, err := store.ChurnData(sys, kewei.ChurnDataRequest{AsOf: now})
	if err != nil {
		return err
	}
	r.scoreFeatures = time.Since(t0)
	_, raw2, err := store.ActiveChurnModel(sys, 0)
	if err != nil {
		return err
	}
	var m churn.Model
	if err := json.Unmarshal(raw2, &m); err != nil {
		return err
	}
	d := retention.Dataset(t)
	t0 = time.Now()
	if _, err := m.Predict(d); err != nil {
		return err
	}
	r.predict = time.Since(t0)
	fmt.Printf("scoring features of %d customers %s, the model's predictions %s\n", len(t.IDs), r.scoreFeatures.Round(time.Millisecond), r.predict.Round(time.Millisecond))
	t0 = time.Now()
	run, err := svc.ScoreChurn(sys, now)
	if err != nil {
		return err
	}
	r.score, r.scored = time.Since(t0), run.Customers
	fmt.Printf("scored and saved %d customers in %s\n", run.Customers, r.score.Round(time.Millisecond))

	// The bare limit: the transactions' aggregate the features read most of.
	t0 = time.Now()
	rows, err := raw.QueryContext(ctx, `SELECT customer_id, COUNT(*), SUM(amount), MAX(occurred_at), MIN(occurred_at) FROM transactions GROUP BY customer_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, n, sum, hi, lo int64
		if err := rows.Scan(&id, &n, &sum, &hi, &lo); err != nil {
			return err
		}
	}
	rows.Close()
	r.bare = time.Since(t0)
	fmt.Printf("bare GROUP BY of the transactions: %s\n", r.bare.Round(time.Millisecond))
	return writeChurnReport(o, r, started)
}

func writeChurnReport(o options, r churnResult, started time.Time) error {
	d, _ := sqlstore.ParseDSN(o.db)
	size := "score"
	if r.trainRows > 0 {
		size = "train"
	}
	start, end := "<!-- bench:churn-"+size+"-"+d.Driver+":start -->", "<!-- bench:churn-"+size+"-"+d.Driver+":end -->"
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Churn, %s, %d customers\n\n", start, name, r.customers)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s, on %d customers and %d transactions. Command: `go run ./bench --churn --db %s`.\n\n",
		started.Format("2006-01-02"), machine(), commit(), r.customers, r.txs, redact(o.db))
	fmt.Fprintf(&b, "| work | time | bare GROUP BY of the transactions | Kewei ÷ bare | goal |\n|---|---|---|---|---|\n")
	ratio := func(t time.Duration) string { return fmt.Sprintf("%.2f×", t.Seconds()/max(r.bare.Seconds(), 0.001)) }
	bare := r.bare.Round(10 * time.Millisecond)
	if r.trainRows > 0 {
		fmt.Fprintf(&b, "| training on %d customers (%d lost in 180 days; cross-validated ROC AUC %.3f): features, five folds, card, saving, then scoring everyone | %s | %s | %s | ≤ 30 s: %s |\n",
			r.trainRows, r.trainLeft, r.auc, r.trainAll.Round(10*time.Millisecond), bare, ratio(r.trainAll), verdict(r.trainAll <= 30*time.Second))
		fmt.Fprintf(&b, "| of which the features as of the cutoff | %s | %s | %s | – |\n", r.trainFeatures.Round(10*time.Millisecond), bare, ratio(r.trainFeatures))
		fmt.Fprintf(&b, "| of which the fit (trees and regression, five folds) | %s | – | – | – |\n", r.fit.Round(10*time.Millisecond))
	}
	fmt.Fprintf(&b, "| scoring %d customers: features, predictions, saving the risk list | %s | %s | %s | ≤ 10 s per million: %s |\n",
		r.scored, r.score.Round(10*time.Millisecond), bare, ratio(r.score), verdict(r.score.Seconds() <= 10*float64(max(r.scored, 1))/1e6))
	fmt.Fprintf(&b, "| of which the features | %s | %s | %s | – |\n", r.scoreFeatures.Round(10*time.Millisecond), bare, ratio(r.scoreFeatures))
	fmt.Fprintf(&b, "| of which the model's predictions | %s | – | – | – |\n", r.predict.Round(10*time.Millisecond))
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}
