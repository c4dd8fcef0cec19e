package kewei

import (
	"context"
	"time"
)

// TierMethod is how a rule tiers customers.
type TierMethod string

// Tier methods: by share of customers ranked by value (Pareto), or by
// fixed bands on a number (a balance, a custom field).
const (
	TierPareto TierMethod = "pareto"
	TierBands  TierMethod = "bands"
)

// TierMethods lists every method.
var TierMethods = []TierMethod{TierPareto, TierBands}

// Enum lists the allowed values, for the OpenAPI document.
func (TierMethod) Enum() []string { return enumStrings(TierMethods) }

// TierMetric is the number a rule ranks or bands customers by.
type TierMetric string

// Metrics: revenue or gross profit over the rule's window (Pareto), the sum
// of active holdings' value or a number custom field (bands).
const (
	MetricRevenue TierMetric = "revenue"
	MetricProfit  TierMetric = "profit"
	MetricBalance TierMetric = "balance"
	MetricField   TierMetric = "field"
)

// TierMetrics lists every metric.
var TierMetrics = []TierMetric{MetricRevenue, MetricProfit, MetricBalance, MetricField}

// Enum lists the allowed values, for the OpenAPI document.
func (TierMetric) Enum() []string { return enumStrings(TierMetrics) }

// TierBand is one band of a banded rule: from Min up to the next band.
type TierBand struct {
	Min   Money  `json:"min"`
	Tier  Tier   `json:"tier"`
	Label string `json:"label" doc:"What the business calls the band, e.g. 优质客户."`
}

// TierRule is one way an administrator tiers customers for a business line.
// A customer's tier is the best any enabled rule gives them, unless a
// manual override says otherwise.
type TierRule struct {
	ID     int64      `json:"id" kewei:"readonly"`
	Name   string     `json:"name"`
	Line   string     `json:"line" doc:"The business line the rule is for, e.g. 新车销售 or 存款."`
	Method TierMethod `json:"method"`
	Metric TierMetric `json:"metric"`
	// Pareto rules.
	WindowMonths int     `json:"window_months" doc:"Months of transactions counted, such as 12; 0 counts all history."`
	ShareA       float64 `json:"share_a" doc:"Top share of customers that is A, e.g. 0.01."`
	ShareB       float64 `json:"share_b" doc:"Top share that is A or B, e.g. 0.05."`
	ShareC       float64 `json:"share_c" doc:"Top share that is A, B or C, e.g. 0.20."`
	// Banded rules.
	Bands    []TierBand `json:"bands" doc:"Lowest band first; below the first band is D."`
	Category string     `json:"category" doc:"balance: only holdings of this category; all when empty."`
	Field    string     `json:"field" doc:"field: the key of a number custom field."`
	Enabled  bool       `json:"enabled"`
	Labels   TierLabels `json:"labels" doc:"The names of A–D in this business line."`

	CreatedAt time.Time `json:"created_at" kewei:"readonly"`
	UpdatedAt time.Time `json:"updated_at" kewei:"readonly"`
	Version   int       `json:"version" kewei:"readonly"`
}

// TierLabels name the tiers, e.g. VIP, 重点, 普通, 小客户.
type TierLabels struct {
	A string `json:"a"`
	B string `json:"b"`
	C string `json:"c"`
	D string `json:"d"`
}

// Validate fills defaults and names every bad field.
func (r *TierRule) Validate() error {
	var p Problems
	p.checkText("name", &r.Name, true, 100)
	p.checkText("line", &r.Line, false, 50)
	checkEnum(&p, "method", r.Method, TierMethods, true)
	p.checkText("category", &r.Category, false, 50)
	p.checkText("field", &r.Field, false, 64)
	for _, l := range []*string{&r.Labels.A, &r.Labels.B, &r.Labels.C, &r.Labels.D} {
		p.checkText("labels", l, false, 30)
	}
	switch r.Method {
	case TierPareto:
		if r.Metric == "" {
			r.Metric = MetricRevenue
		}
		if r.Metric != MetricRevenue && r.Metric != MetricProfit {
			p.Add("metric", ReasonUnknownChoice, "a Pareto rule ranks by revenue or profit")
		}
		if r.ShareA == 0 && r.ShareB == 0 && r.ShareC == 0 {
			r.ShareA, r.ShareB, r.ShareC = 0.01, 0.05, 0.20
		}
		if !(r.ShareA > 0 && r.ShareA <= r.ShareB && r.ShareB <= r.ShareC && r.ShareC < 1) {
			p.Add("share_a", ReasonOutOfRange, "the shares must grow: 0 < A ≤ B ≤ C < 1")
		}
		if r.WindowMonths < 0 || r.WindowMonths > 120 {
			p.Add("window_months", ReasonOutOfRange, "must be 0 (all history) to 120")
		}
		r.Bands = []TierBand{}
	case TierBands:
		if r.Metric != MetricBalance && r.Metric != MetricField {
			p.Add("metric", ReasonUnknownChoice, "a banded rule reads a balance or a custom field")
		}
		if r.Metric == MetricField && r.Field == "" {
			p.Add("field", ReasonRequired, "name the number custom field to band")
		}
		if len(r.Bands) == 0 {
			p.Add("bands", ReasonRequired, "at least one band is needed")
		}
		for i, b := range r.Bands {
			checkEnum(&p, "bands", b.Tier, Tiers, true)
			if i > 0 && b.Min <= r.Bands[i-1].Min {
				p.Add("bands", ReasonOutOfRange, "band %d starts at %s, not above the band before it", i+1, b.Min)
			}
		}
		r.ShareA, r.ShareB, r.ShareC = 0, 0, 0
	}
	return p.Err()
}

// TierOverride pins a customer's tier by hand until it expires; re-tiering
// leaves the customer alone meanwhile.
type TierOverride struct {
	ID         int64     `json:"id" kewei:"readonly"`
	CustomerID int64     `json:"customer_id"`
	Tier       Tier      `json:"tier"`
	Reason     string    `json:"reason"`
	ExpiresOn  Date      `json:"expires_on" doc:"The last day the override holds."`
	ActorID    int64     `json:"actor_id" kewei:"readonly"`
	ActorName  string    `json:"actor_name" kewei:"readonly"`
	CreatedAt  time.Time `json:"created_at" kewei:"readonly"`
	EndedAt    time.Time `json:"ended_at" kewei:"readonly" doc:"When it was lifted by hand, if it was."`
}

// Validate names every bad field.
func (o *TierOverride) Validate(today Date) error {
	var p Problems
	checkEnum(&p, "tier", o.Tier, Tiers, true)
	p.checkText("reason", &o.Reason, true, 500)
	switch {
	case o.ExpiresOn.IsZero():
		p.Add("expires_on", ReasonRequired, "an override needs an expiry date")
	case o.ExpiresOn.String() < today.String():
		p.Add("expires_on", ReasonOutOfRange, "is in the past")
	}
	return p.Err()
}

// TierChange is one step of a customer's tier history.
type TierChange struct {
	ID           int64     `json:"id"`
	CustomerID   int64     `json:"customer_id"`
	CustomerName string    `json:"customer_name"`
	From         Tier      `json:"from" doc:"Empty on the first tiering."`
	To           Tier      `json:"to"`
	RuleID       int64     `json:"rule_id" doc:"The rule that decided; 0 for an override."`
	Source       string    `json:"source" doc:"rule, override or expiry."`
	RunID        int64     `json:"run_id"`
	At           time.Time `json:"at"`
}

// Tier change sources.
const (
	ChangeByRule     = "rule"
	ChangeByOverride = "override"
)

// TierChangeFilter selects tier history.
type TierChangeFilter struct {
	CustomerID int64     `query:"customer_id"`
	Since      time.Time `query:"since"`
	Limit      int       `query:"limit"`
	Cursor     string    `query:"cursor"`
}

// CustomerValue is what the last run found for a customer.
type CustomerValue struct {
	CustomerID int64     `json:"customer_id"`
	Tier       Tier      `json:"tier"`
	RuleID     int64     `json:"rule_id" doc:"The rule that gave the tier; 0 when none did (D) or an override did."`
	Value      float64   `json:"value" doc:"The deciding rule's number: revenue, profit or balance."`
	Revenue    Money     `json:"revenue" doc:"Revenue over the RFM window."`
	Profit     Money     `json:"profit" doc:"Gross profit over the RFM window, where transactions carry it."`
	Count      int       `json:"frequency"`
	Last       time.Time `json:"last_purchase_at"`
	R          int       `json:"r"`
	F          int       `json:"f"`
	M          int       `json:"m"`
	Segment    string    `json:"segment"`
}

// PurchaseSum is a customer's transactions over a window, summed.
type PurchaseSum struct {
	CustomerID int64
	Revenue    Money
	Profit     Money
	Count      int
	Last       time.Time
}

// TierRun is one re-tiering.
type TierRun struct {
	ID         int64     `json:"id"`
	AsOf       Date      `json:"as_of"`
	Window     int       `json:"window_months" doc:"The RFM window; 0 for all history."`
	Status     string    `json:"status" doc:"running, done or failed."`
	Customers  int       `json:"customers"`
	Changed    int       `json:"changed"`
	Step       string    `json:"step" doc:"What it is doing: reading, scoring, writing."`
	Error      string    `json:"error"`
	ActorID    int64     `json:"actor_id"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
}

// Run states.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"
)

// TierStore is what re-tiering reads and writes. Everything but the reads
// of rules, history and overrides is for administrators and the system.
type TierStore interface {
	FindTierRules(ctx context.Context) ([]*TierRule, error)
	CreateTierRule(ctx context.Context, r *TierRule) error
	UpdateTierRule(ctx context.Context, r *TierRule) error
	DeleteTierRule(ctx context.Context, id int64) error

	SetTierOverride(ctx context.Context, o *TierOverride) error
	EndTierOverride(ctx context.Context, customerID int64) error
	FindTierOverrides(ctx context.Context, customerID int64) ([]*TierOverride, error)
	FindTierChanges(ctx context.Context, f TierChangeFilter) (*List[*TierChange], error)

	// CustomerIDs lists every customer, in id order: the population the
	// shares are of.
	CustomerIDs(ctx context.Context) ([]int64, error)
	// SumPurchases sums each customer's transactions from since (zero for
	// all history) to before until.
	SumPurchases(ctx context.Context, since, until time.Time) ([]PurchaseSum, error)
	// Balances sums each customer's active holdings (of a category, or all).
	Balances(ctx context.Context, category string) (map[int64]Money, error)
	// FieldNumbers reads a number custom field of every customer who has it.
	FieldNumbers(ctx context.Context, key string) (map[int64]float64, error)

	StartTierRun(ctx context.Context, run *TierRun) error
	// ApplyTiers stores the run's values: the tiers that changed move, with
	// history; active overrides win. It returns how many tiers changed.
	ApplyTiers(ctx context.Context, run *TierRun, values []CustomerValue) (int, error)
	// FindPurchases streams every transaction before until, for the
	// lifetime models.
	FindPurchases(ctx context.Context, until time.Time, each func(customerID int64, at time.Time, amount Money) error) error
	// UpdateTierRun records a run's progress, and its end.
	UpdateTierRun(ctx context.Context, run *TierRun) error
	FindTierRuns(ctx context.Context, limit int) ([]*TierRun, error)
	// FindCustomerValues reads the values of the customers the actor sees
	// (for reports), with their region.
	FindCustomerValues(ctx context.Context, f ValueFilter, each func(v CustomerValue, province string) error) error
	// FindCustomerValue reads one customer's stored value, or a zero value
	// with the customer's tier before the first run.
	FindCustomerValue(ctx context.Context, customerID int64) (*CustomerValue, error)
	// TiersAt gives the tier each customer the actor sees had just before
	// at, from the history; customers never tiered by then are left out.
	TiersAt(ctx context.Context, at time.Time, f ValueFilter, each func(customerID int64, t Tier) error) error
}

// ValueFilter narrows the value reports.
type ValueFilter struct {
	TeamID   int64  `query:"team"`
	Province string `query:"province"`
	Line     string `query:"line"`
}
