package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// ChurnService reads the history churn models learn from.
type ChurnService struct{ db *DB }

// NewChurnService returns the churn service of db.
func NewChurnService(db *DB) *ChurnService { return &ChurnService{db: db} }

// churnNumeric and churnText name the features ChurnData computes.
var (
	churnNumeric = []string{"tenure_days", "purchases", "spend", "days_since_purchase", "days_since_first_purchase",
		"purchases_90d", "spend_365d", "spend_prior_365d", "days_since_contact", "contacts_90d", "contacts_365d",
		"complaints_365d", "complaints_open", "surveys", "csat", "nps", "tasks_365d", "tasks_on_time_share",
		"holdings", "holdings_value", "tier_changes_365d"}
	churnText = []string{"kind", "gender", "age_band", "province", "city", "source", "owned", "tier"}
)

// ChurnData computes the features of every customer in the population at
// r.AsOf — created before it, not a prospect, not lost before it, and with
// a purchase or a holding before it — from records dated before it only;
// with r.HorizonDays, also the label: lost in the days after it.
func (s *ChurnService) ChurnData(ctx context.Context, r kewei.ChurnDataRequest) (*kewei.FeatureTable, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return churnData(ctx, s.db, r)
}

// churnRows is the feature table being filled.
type churnRows struct {
	row  map[int64]int
	num  map[string][]float64
	text map[string][]string
	ids  []int64
}

func (c *churnRows) set(name string, i int, v float64) { c.num[name][i] = v }

// aggregate runs q, whose rows are a customer id and then numbers (NULL
// for missing), and hands each known customer's numbers to fn.
func (c *churnRows) aggregate(ctx context.Context, tx *Tx, q string, args []any, nv int, fn func(i int, v []float64)) error {
	vals, v := make([]sql.NullFloat64, nv), make([]float64, nv)
	var id int64
	dest := []any{&id}
	for k := range vals {
		dest = append(dest, &vals[k])
	}
	return eachRow(ctx, tx, q, args, func(s scanner) error {
		if err := s.Scan(dest...); err != nil {
			return err
		}
		i, ok := c.row[id]
		if !ok {
			return nil
		}
		for k := range vals {
			v[k] = math.NaN()
			if vals[k].Valid {
				v[k] = vals[k].Float64
			}
		}
		fn(i, v)
		return nil
	})
}

// churnData reads the population, then the aggregates side by side, each
// in a read transaction of its own: every aggregate is bounded by the
// cutoff, so they agree whenever they run.
func churnData(ctx context.Context, db *DB, r kewei.ChurnDataRequest) (*kewei.FeatureTable, error) {
	T := ms(r.AsOf)
	dayMs := float64(24 * time.Hour.Milliseconds())
	ago := func(days int) int64 { return T - int64(days)*int64(dayMs) }
	since := func(at float64) float64 { return (float64(T) - at) / dayMs }
	w := where{}.and(`c.created_at < ?`, T).and(`c.stage <> ?`, kewei.StageProspect).
		and(`NOT (c.stage = ? AND c.updated_at < ?)`, kewei.StageLost, T)
	// Each aggregate keeps to the customers asked for, if any.
	scope, scopeArgs := "", []any(nil)
	if len(r.Customers) > 0 {
		for _, id := range r.Customers {
			scopeArgs = append(scopeArgs, id)
		}
		scope = ` AND customer_id IN (` + placeholders(len(scopeArgs)) + `)`
		w = w.and(`c.id IN (`+placeholders(len(scopeArgs))+`)`, scopeArgs...)
	}
	c := &churnRows{row: map[int64]int{}, num: map[string][]float64{}, text: map[string][]string{}}
	var created []int64
	var tier []string
	err := db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT c.id, c.kind, c.gender, c.age_band, c.province, c.city, c.source,
		COALESCE(c.owner_id, 0), c.created_at, c.tier FROM customers c`+w.sql()+` ORDER BY c.id`, w.args, func(s scanner) error {
			var id, owner, at int64
			var now string
			v := make([]string, 6)
			if err := s.Scan(&id, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &owner, &at, &now); err != nil {
				return err
			}
			tier = append(tier, now)
			c.row[id] = len(c.ids)
			c.ids = append(c.ids, id)
			created = append(created, at)
			owned := "yes"
			if owner == 0 {
				owned = "no"
			}
			for k, x := range append(v, owned) {
				c.text[churnText[k]] = append(c.text[churnText[k]], x)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	n := len(c.ids)
	for _, name := range churnNumeric {
		c.num[name] = make([]float64, n)
	}
	for _, name := range []string{"days_since_purchase", "days_since_first_purchase", "days_since_contact", "csat", "nps", "tasks_on_time_share"} {
		for i := range n {
			c.num[name][i] = math.NaN()
		}
	}
	for i, at := range created {
		c.set("tenure_days", i, since(float64(at)))
	}
	c.text["tier"] = tier
	// Who bought before the cutoff, and who held something: written by
	// two aggregates running at once, so apart.
	bought, held := make([]bool, n), make([]bool, n)
	steps := []struct {
		q    string
		args []any
		nv   int
		fn   func(i int, v []float64)
	}{
		{`SELECT customer_id, COUNT(*), SUM(amount), MAX(occurred_at), MIN(occurred_at),
			SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END), SUM(CASE WHEN occurred_at >= ? THEN amount ELSE 0 END),
			SUM(CASE WHEN occurred_at >= ? AND occurred_at < ? THEN amount ELSE 0 END)
			FROM transactions WHERE occurred_at < ?` + scope + ` GROUP BY customer_id`,
			[]any{ago(90), ago(365), ago(730), ago(365), T}, 7, func(i int, v []float64) {
				bought[i] = v[0] > 0
				c.set("purchases", i, v[0])
				c.set("spend", i, v[1]/100)
				c.set("days_since_purchase", i, since(v[2]))
				c.set("days_since_first_purchase", i, since(v[3]))
				c.set("purchases_90d", i, v[4])
				c.set("spend_365d", i, v[5]/100)
				c.set("spend_prior_365d", i, v[6]/100)
			}},
		{`SELECT customer_id, MAX(occurred_at), SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END), SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END)
			FROM interactions WHERE occurred_at < ?` + scope + ` GROUP BY customer_id`,
			[]any{ago(90), ago(365), T}, 3, func(i int, v []float64) {
				c.set("days_since_contact", i, since(v[0]))
				c.set("contacts_90d", i, v[1])
				c.set("contacts_365d", i, v[2])
			}},
		{`SELECT customer_id, SUM(CASE WHEN received_at >= ? THEN 1 ELSE 0 END), SUM(CASE WHEN closed_at = 0 OR closed_at >= ? THEN 1 ELSE 0 END)
			FROM complaints WHERE received_at < ?` + scope + ` GROUP BY customer_id`,
			[]any{ago(365), T, T}, 2, func(i int, v []float64) {
				c.set("complaints_365d", i, v[0])
				c.set("complaints_open", i, v[1])
			}},
		{`SELECT customer_id, COUNT(*), AVG(CASE WHEN csat > 0 THEN csat END), AVG(CASE WHEN nps >= 0 THEN nps END)
			FROM survey_responses WHERE at < ?` + scope + ` GROUP BY customer_id`,
			[]any{T}, 3, func(i int, v []float64) {
				c.set("surveys", i, v[0])
				c.set("csat", i, v[1])
				c.set("nps", i, v[2])
			}},
		{`SELECT customer_id, COUNT(*), SUM(CASE WHEN done_at > 0 AND done_at <= due_at AND done_at < ? THEN 1 ELSE 0 END)
			FROM tasks WHERE due_at >= ? AND due_at < ?` + scope + ` GROUP BY customer_id`,
			[]any{T, ago(365), T}, 2, func(i int, v []float64) {
				c.set("tasks_365d", i, v[0])
				if v[0] > 0 {
					c.set("tasks_on_time_share", i, v[1]/v[0])
				}
			}},
		{`SELECT customer_id, COUNT(*), SUM(value) FROM holdings WHERE acquired_on IS NOT NULL AND acquired_on < ?
			AND (ended_on IS NULL OR ended_on >= ?)` + scope + ` GROUP BY customer_id`,
			[]any{dateOf(r.AsOf), dateOf(r.AsOf)}, 2, func(i int, v []float64) {
				held[i] = v[0] > 0
				c.set("holdings", i, v[0])
				c.set("holdings_value", i, v[1]/100)
			}},
		{`SELECT customer_id, COUNT(*) FROM tier_changes WHERE at >= ? AND at < ?` + scope + ` GROUP BY customer_id`,
			[]any{ago(365), T}, 1, func(i int, v []float64) { c.set("tier_changes_365d", i, v[0]) }},
	}
	var y []float64
	work := make([]func(tx *Tx) error, 0, len(steps)+2)
	for _, st := range steps {
		work = append(work, func(tx *Tx) error {
			return c.aggregate(ctx, tx, st.q, append(st.args, scopeArgs...), st.nv, st.fn)
		})
	}
	work = append(work, func(tx *Tx) error { return churnTiers(ctx, tx, c, T, scope, scopeArgs, tier) })
	if len(r.Customers) > 0 {
		// A few customers, as a page shows: one short transaction.
		err = db.readTx(ctx, func(tx *Tx) error {
			for _, w := range work {
				if err := w(tx); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		// Everyone: the aggregates side by side.
		err = parallel(ctx, db, 3, work)
	}
	if err != nil {
		return nil, err
	}
	// The label reads who bought before the cutoff, so it comes last.
	if r.HorizonDays > 0 {
		if err := db.readTx(ctx, func(tx *Tx) error {
			var err error
			y, err = churnLabels(ctx, tx, c, r, T, scope, scopeArgs)
			return err
		}); err != nil {
			return nil, err
		}
	}
	for i := range bought {
		bought[i] = bought[i] || held[i]
	}
	return c.keep(bought, y), nil
}

func dateOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// churnTiers sets each customer's tier at the cutoff: the tier of the last
// change before it, else the tier before the first change after it, else
// the tier now.
func churnTiers(ctx context.Context, tx *Tx, c *churnRows, T int64, scope string, scopeArgs []any, tier []string) error {
	before := make([]bool, len(tier))
	err := eachRow(ctx, tx, `SELECT customer_id, to_tier FROM tier_changes WHERE at < ?`+scope+` ORDER BY customer_id, at, id`,
		append([]any{T}, scopeArgs...), func(s scanner) error {
			var id int64
			var to string
			if err := s.Scan(&id, &to); err != nil {
				return err
			}
			if i, ok := c.row[id]; ok {
				tier[i], before[i] = to, true
			}
			return nil
		})
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, `SELECT customer_id, from_tier FROM tier_changes WHERE at >= ?`+scope+` ORDER BY customer_id, at DESC, id DESC`,
		append([]any{T}, scopeArgs...), func(s scanner) error {
			var id int64
			var from string
			if err := s.Scan(&id, &from); err != nil {
				return err
			}
			if i, ok := c.row[id]; ok && !before[i] {
				tier[i] = from
			}
			return nil
		})
}

// churnLabels says who was lost in [T, T + horizon): marked lost, out of
// contract, or without a purchase, as r.Label switches them on.
func churnLabels(ctx context.Context, tx *Tx, c *churnRows, r kewei.ChurnDataRequest, T int64, scope string, scopeArgs []any) ([]float64, error) {
	end := r.AsOf.AddDate(0, 0, r.HorizonDays)
	E := ms(end)
	y := make([]float64, len(c.ids))
	mark := func(q string, args []any, value float64) error {
		return eachRow(ctx, tx, q, append(args, scopeArgs...), func(s scanner) error {
			var id int64
			if err := s.Scan(&id); err != nil {
				return err
			}
			if i, ok := c.row[id]; ok {
				y[i] = value
			}
			return nil
		})
	}
	if r.Label.Inactive {
		if err := inactiveLabels(ctx, tx, c, r, E, scope, scopeArgs, y); err != nil {
			return nil, err
		}
	}
	if r.Label.Stage {
		if err := mark(`SELECT id FROM customers WHERE stage = ? AND updated_at >= ? AND updated_at < ?`+
			strings.Replace(scope, "customer_id", "id", 1), []any{kewei.StageLost, T, E}, 1); err != nil {
			return nil, err
		}
	}
	if r.Label.Contract {
		if err := mark(`SELECT k.customer_id FROM contracts k WHERE k.status IN (?, ?) AND k.ends_on >= ? AND k.ends_on < ?
			AND NOT EXISTS (SELECT 1 FROM contracts n WHERE n.customer_id = k.customer_id AND n.id <> k.id
			AND n.ends_on > k.ends_on AND n.status IN (?, ?))`+strings.Replace(scope, "customer_id", "k.customer_id", 1),
			[]any{kewei.ContractEnded, kewei.ContractTerminated, dateOf(r.AsOf), dateOf(end), kewei.ContractSigned, kewei.ContractExecuting}, 1); err != nil {
			return nil, err
		}
	}
	return y, nil
}

// keep is the table of the customers with a purchase or a holding before
// the cutoff.
func (c *churnRows) keep(held []bool, y []float64) *kewei.FeatureTable {
	t := &kewei.FeatureTable{Numeric: map[string][]float64{}, Text: map[string][]string{}}
	var idx []int
	for i, ok := range held {
		if ok {
			idx = append(idx, i)
			t.IDs = append(t.IDs, c.ids[i])
		}
	}
	for name, col := range c.num {
		out := make([]float64, len(idx))
		for k, i := range idx {
			out[k] = col[i]
		}
		t.Numeric[name] = out
	}
	for name, col := range c.text {
		out := make([]string, len(idx))
		for k, i := range idx {
			out[k] = col[i]
		}
		t.Text[name] = out
	}
	if y != nil {
		t.Label = make([]float64, len(idx))
		for k, i := range idx {
			t.Label[k] = y[i]
		}
	}
	return t
}

// parallel runs each piece of work in a read transaction of its own, at
// most n at a time, and returns the first error.
func parallel(ctx context.Context, db *DB, n int, work []func(tx *Tx) error) error {
	errs := make([]error, len(work))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, w := range work {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = db.readTx(ctx, w)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// inactiveLabels marks lost the customers who bought before the cutoff and,
// at the horizon's end, had bought nothing for their line's days (the
// horizon's length for a line without its own).
func inactiveLabels(ctx context.Context, tx *Tx, c *churnRows, r kewei.ChurnDataRequest, E int64, scope string, scopeArgs []any, y []float64) error {
	days := make([]int, len(c.ids))
	for i := range days {
		days[i] = r.HorizonDays
	}
	if len(r.Label.Lines) > 0 {
		err := eachRow(ctx, tx, `SELECT v.customer_id, t.line FROM customer_values v JOIN tier_rules t ON t.id = v.rule_id WHERE v.rule_id <> 0`+
			strings.Replace(scope, "customer_id", "v.customer_id", 1), scopeArgs, func(s scanner) error {
			var id int64
			var line string
			if err := s.Scan(&id, &line); err != nil {
				return err
			}
			if i, ok := c.row[id]; ok {
				if n, ok := r.Label.Lines[line]; ok {
					days[i] = n
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// One query per length of silence: who bought in its last days.
	bought := map[int]map[int]bool{}
	for _, n := range days {
		if bought[n] != nil {
			continue
		}
		set := map[int]bool{}
		from := E - int64(n)*24*time.Hour.Milliseconds()
		err := eachRow(ctx, tx, `SELECT DISTINCT customer_id FROM transactions WHERE occurred_at >= ? AND occurred_at < ?`+scope,
			append([]any{from, E}, scopeArgs...), func(s scanner) error {
				var id int64
				if err := s.Scan(&id); err != nil {
					return err
				}
				if i, ok := c.row[id]; ok {
					set[i] = true
				}
				return nil
			})
		if err != nil {
			return err
		}
		bought[n] = set
	}
	for i, n := range days {
		if c.num["purchases"][i] > 0 && !bought[n][i] {
			y[i] = 1
		}
	}
	return nil
}
