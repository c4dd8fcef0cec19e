package kewei

import "time"

// ChurnLabel says what counts as "lost" when a churn model learns from
// history: the customer was marked lost, a contract ended without a newer
// one, or nothing was bought — any that are switched on.
type ChurnLabel struct {
	Stage    bool `json:"stage" doc:"Marked lost within the horizon."`
	Contract bool `json:"contract" doc:"A contract ended or was terminated within the horizon and none was signed after it."`
	Inactive bool `json:"inactive" doc:"Bought before the cutoff and nothing within the horizon."`
}

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
