package kewei

import (
	"context"
	"time"
)

// ScoreLine is one consultant's (or one team's) results over a period.
type ScoreLine struct {
	UserID   int64  `json:"user_id" doc:"Zero on a team's line."`
	Name     string `json:"name"`
	TeamID   int64  `json:"team_id"`
	TeamName string `json:"team_name"`
	// Tasks due in the period, and those done by their due time.
	TasksDue    int     `json:"tasks_due"`
	TasksOnTime int     `json:"tasks_on_time"`
	OnTimeRate  float64 `json:"on_time_rate" doc:"tasks_on_time / tasks_due; 0 without tasks."`
	// Visit reports submitted in the period, and those approved in it.
	VisitsMade     int `json:"visits_made"`
	VisitsApproved int `json:"visits_approved"`
	// Complaints assigned to the person closed in the period, and those
	// resolved within the resolution SLA.
	ComplaintsClosed    int     `json:"complaints_closed"`
	ComplaintsWithinSLA int     `json:"complaints_within_sla"`
	WithinSLARate       float64 `json:"within_sla_rate"`
	// Survey answers from the person's customers in the period.
	Responses int     `json:"responses"`
	CSAT      float64 `json:"csat" doc:"The mean overall satisfaction, 1 to 5; 0 without answers."`
	// Prospects who came with the person's referral cards in the period.
	Referrals int `json:"referrals"`
	// Customers the person gained (added in the period), moved up or down
	// a tier, or lost (marked lost in the period).
	Gained     int `json:"customers_gained"`
	Upgraded   int `json:"customers_upgraded"`
	Downgraded int `json:"customers_downgraded"`
	Lost       int `json:"customers_lost"`
}

// Scorecard is the staff scorecard: a line per person and per team.
type Scorecard struct {
	From   time.Time    `json:"from"`
	To     time.Time    `json:"to"`
	People []*ScoreLine `json:"people"`
	Teams  []*ScoreLine `json:"teams"`
}

// ScorecardQuery is the period and team of a scorecard: the current month
// when the period is omitted, every team the caller sees without a team.
type ScorecardQuery struct {
	From time.Time `query:"from"`
	To   time.Time `query:"to,end"`
	Team int64     `query:"team" doc:"A team and the teams below it."`
}

// ScoreCounter counts, per user, what the database can count directly:
// tasks, visits, survey answers, referrals and customer moves.
type ScoreCounter interface {
	ScoreCounts(ctx context.Context, from, to time.Time) (map[int64]*ScoreLine, error)
}

// ScorecardService makes scorecards: managers see their teams' people,
// administrators everyone, others only their own line.
type ScorecardService interface {
	Scorecard(ctx context.Context, q ScorecardQuery) (*Scorecard, error)
}
