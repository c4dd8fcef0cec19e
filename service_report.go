package kewei

import "time"

// CountLine is a label and how many.
type CountLine struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// ItemScore is one survey item's mean scores.
type ItemScore struct {
	Key         string  `json:"key"`
	Text        string  `json:"text"`
	Expectation float64 `json:"expectation"`
	Performance float64 `json:"performance"`
	Gap         float64 `json:"gap" doc:"performance − expectation: below 0, the customer got less than expected."`
}

// PersonScore is one consultant's (or team's) survey results: the sales
// satisfaction index.
type PersonScore struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Responses int     `json:"responses"`
	CSAT      float64 `json:"csat"`
	Gap       float64 `json:"gap"`
	NPS       float64 `json:"nps" doc:"Promoters (9–10) minus detractors (0–6), in percent."`
}

// Outcome compares what complainants did afterwards with everyone else.
type Outcome struct {
	Customers   int     `json:"customers"`
	BoughtAgain float64 `json:"bought_again" doc:"Share who bought after the complaint (others: in the period)."`
	Lost        float64 `json:"lost" doc:"Share now lost."`
}

// ServiceReport is complaints and satisfaction over a period, within the
// caller's scope.
type ServiceReport struct {
	From, To           time.Time     `json:"-"`
	Complaints         int           `json:"complaints"`
	ByCategory         []CountLine   `json:"by_category"`
	ByRootCause        []CountLine   `json:"by_root_cause"`
	BySeverity         []CountLine   `json:"by_severity"`
	ByMonth            []CountLine   `json:"by_month"`
	Resolved           int           `json:"resolved"`
	WithinSLA          float64       `json:"within_sla" doc:"Share of the resolved complaints resolved within their SLA."`
	MeanHoursToResolve float64       `json:"mean_hours_to_resolve" doc:"In working hours."`
	RepeatCustomers    int           `json:"repeat_customers" doc:"Customers who complained more than once in the period."`
	Complainants       Outcome       `json:"complainants"`
	Others             Outcome       `json:"others"`
	Responses          int           `json:"responses"`
	NPS                float64       `json:"nps"`
	CSAT               float64       `json:"csat"`
	Items              []ItemScore   `json:"items"`
	Consultants        []PersonScore `json:"consultants"`
	Teams              []PersonScore `json:"teams"`
	NPSByMonth         []MonthScore  `json:"nps_by_month"`
}

// MonthScore is a month's NPS.
type MonthScore struct {
	Month string  `json:"month"`
	Score float64 `json:"score"`
	Count int     `json:"count"`
}

// OutcomeCounts are the raw counts behind Outcome, as the store reads them.
type OutcomeCounts struct {
	Complainants, ComplainantsBought, ComplainantsLost int
	Others, OthersBought, OthersLost                   int
}
