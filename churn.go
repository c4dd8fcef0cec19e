package kewei

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// ChurnLabel says what counts as "lost" when a churn model learns from
// history: the customer was marked lost, a contract ended without a newer
// one, or nothing was bought — any that are switched on.
type ChurnLabel struct {
	Stage    bool `json:"stage" doc:"Marked lost within the horizon."`
	Contract bool `json:"contract" doc:"A contract ended or was terminated within the horizon and none was signed after it."`
	Inactive bool `json:"inactive" doc:"Bought before the cutoff and, at the horizon's end, nothing for the line's days."`
	// Lines sets, per business line (the line of the tier rule that
	// tiered the customer), how many days without a purchase count as
	// lost; customers of other lines use the horizon.
	Lines map[string]int `json:"lines,omitempty" doc:"Days without a purchase that count as lost, per business line; the horizon for the others."`
}

// Any reports whether any rule is on.
func (l ChurnLabel) Any() bool { return l.Stage || l.Contract || l.Inactive }

// ChurnDataRequest asks for the churn features of every customer in the
// population at AsOf, computed only from what was known before it, and,
// when HorizonDays is set, whether each was lost in the days after it.
type ChurnDataRequest struct {
	AsOf        time.Time
	HorizonDays int
	Label       ChurnLabel
	// Customers limits the rows to these customers; all when empty.
	Customers []int64
}

// FeatureTable is a table of features, column by column: numeric columns
// hold NaN where a value is missing, categorical ones "".
type FeatureTable struct {
	IDs     []int64
	Numeric map[string][]float64
	Text    map[string][]string
	// Label is 1 for a customer lost within the horizon; nil without one.
	Label []float64
}

// ChurnTrainRequest asks for a churn model learnt from what happened in
// the HorizonDays after AsOf, from the features known before it.
type ChurnTrainRequest struct {
	AsOf        Date       `json:"as_of" doc:"The cutoff; by default the horizon before today, so every label is known."`
	HorizonDays int        `json:"horizon_days" doc:"Days after the cutoff in which a lost customer counts as lost; 180 when 0."`
	Label       ChurnLabel `json:"label" doc:"What counts as lost; all three when none is on."`
}

// Validate checks the request.
func (r *ChurnTrainRequest) Validate() error {
	var p Problems
	if r.HorizonDays < 0 || r.HorizonDays > 3650 {
		p.Add("horizon_days", ReasonOutOfRange, "must be 1 to 3650 days")
	}
	for line, days := range r.Label.Lines {
		if days < 1 || days > 3650 {
			p.Add("label.lines."+line, ReasonOutOfRange, "must be 1 to 3650 days")
		}
	}
	return p.Err()
}

// ChurnModel is a trained churn model as the pages and the API show it:
// when and on what it was trained and how well it did on the rows each of
// its parts did not see.
type ChurnModel struct {
	ID          int64      `json:"id"`
	Active      bool       `json:"active" doc:"The model that scores; the others are kept to go back to."`
	AsOf        time.Time  `json:"as_of"`
	HorizonDays int        `json:"horizon_days"`
	Label       ChurnLabel `json:"label"`
	Rows        int        `json:"rows" doc:"Customers trained on."`
	Left        int        `json:"left" doc:"Of them, lost within the horizon."`
	ROCAUC      float64    `json:"roc_auc"`
	PRAUC       float64    `json:"pr_auc"`
	Card        ChurnCard  `json:"card"`
	ActorID     int64      `json:"actor_id"`
	CreatedAt   time.Time  `json:"created_at"`
}

// ChurnCard describes a model for the people who rely on it.
type ChurnCard struct {
	Algorithm   string           `json:"algorithm"`
	TreeShare   float64          `json:"tree_share" doc:"The trees' weight in the blend with the logistic regression."`
	Trees       int              `json:"trees"`
	Accuracy    float64          `json:"accuracy"`
	F1          float64          `json:"f1"`
	LogLoss     float64          `json:"log_loss"`
	Baseline    float64          `json:"baseline_roc_auc" doc:"The logistic regression's ROC AUC alone."`
	Took        string           `json:"took"`
	Calibration []CalibrationBin `json:"calibration"`
	Features    []FeatureWeight  `json:"features" doc:"Every feature, by its mean absolute contribution."`
	// Typical is, per numeric feature and tier, the median among the
	// customers who stayed: what reasons compare a customer with.
	Typical map[string]map[string]float64 `json:"typical"`
}

// CalibrationBin compares predicted and observed shares in one tenth of
// the customers.
type CalibrationBin struct {
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
	Rows      int     `json:"rows"`
}

// FeatureWeight is a feature's share of the model's contributions.
type FeatureWeight struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
}

// ChurnRisk is one customer on the risk list.
type ChurnRisk struct {
	CustomerID   int64         `json:"customer_id"`
	CustomerName string        `json:"customer_name"`
	OwnerID      int64         `json:"owner_id"`
	OwnerName    string        `json:"owner_name"`
	Tier         Tier          `json:"tier"`
	Probability  float64       `json:"probability" doc:"The chance of being lost within the model's horizon."`
	Value        float64       `json:"value" doc:"Spend over the last twelve months, in yuan."`
	Risk         float64       `json:"risk" doc:"Probability × value: the value expected to be lost."`
	ScoredAt     time.Time     `json:"scored_at"`
	ModelID      int64         `json:"model_id"`
	Reasons      []ChurnReason `json:"reasons,omitempty"`
}

// ChurnReason is one of the features that raise a customer's risk most,
// with the customer's value and what is typical for the tier.
type ChurnReason struct {
	Feature      string  `json:"feature"`
	Value        string  `json:"value"`
	Typical      string  `json:"typical,omitempty"`
	Contribution float64 `json:"contribution" doc:"The feature's contribution to the score, on the log-odds scale."`
}

// ChurnFilter selects the risk list.
type ChurnFilter struct {
	Team  int64  `query:"team"`
	Owner int64  `query:"owner"`
	Tier  Tier   `query:"tier"`
	Sort  string `query:"sort" doc:"risk (probability × value, the default) or probability."`
	Limit int    `query:"limit"`
}

// ChurnScoreRun is what one scoring did.
type ChurnScoreRun struct {
	ModelID   int64  `json:"model_id"`
	Customers int    `json:"customers"`
	Took      string `json:"took"`
}

// RetentionRequest asks for retention tasks on customers.
type RetentionRequest struct {
	Customers []int64 `json:"customers" doc:"The customers; at most 1,000."`
}

// RetentionResult is what a retention request did.
type RetentionResult struct {
	Requested  int   `json:"requested" doc:"Customers newly asked for."`
	Already    int   `json:"already" doc:"Customers asked for in the last 30 days, left alone."`
	Tasks      int   `json:"tasks" doc:"Tasks the playbooks planned."`
	PlaybookID int64 `json:"playbook_id"`
}

// ChurnScore is one customer's score, as a scoring run saves it.
type ChurnScore struct {
	CustomerID  int64
	Probability float64
	Value       float64
}

// ChurnService is churn prediction as the API and the pages see it.
type ChurnService interface {
	// FindChurnRisks lists scored customers in scope, riskiest first,
	// with their reasons.
	FindChurnRisks(ctx context.Context, f ChurnFilter) ([]*ChurnRisk, error)
	// CustomerChurn is one customer's score and reasons; nil when not
	// scored.
	CustomerChurn(ctx context.Context, id int64) (*ChurnRisk, error)
	// FindChurnModels lists the models, newest first.
	FindChurnModels(ctx context.Context) ([]*ChurnModel, error)
	// TrainChurn trains a model, makes it the active one and scores
	// every customer with it (administrators).
	TrainChurn(ctx context.Context, r ChurnTrainRequest) (*ChurnModel, error)
	// ActivateChurnModel goes back to an earlier model (administrators).
	ActivateChurnModel(ctx context.Context, id int64) error
	// ScoreChurn scores every customer with the active model.
	ScoreChurn(ctx context.Context, now time.Time) (*ChurnScoreRun, error)
	// RequestRetention has the playbooks plan retention tasks for
	// customers in scope (managers and administrators).
	RequestRetention(ctx context.Context, r RetentionRequest) (*RetentionResult, error)
}

// ParseLineDays reads days per business line written as
// "售后=365, 存款=180" (commas, 、 or new lines between them).
func ParseLineDays(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		line, days, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(strings.TrimSpace(days))
		if !ok || strings.TrimSpace(line) == "" || err != nil || n < 1 || n > 3650 {
			var p Problems
			p.Add("label.lines", ReasonInvalidFormat, "%q is not LINE=DAYS with 1 to 3650 days", part)
			return nil, p.Err()
		}
		out[strings.TrimSpace(line)] = n
	}
	return out, nil
}
