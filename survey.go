package kewei

import (
	"context"
	"time"
)

// SurveyItem is one thing a survey asks about, scored twice: what the
// customer expected and what they got, each 1 to 7.
type SurveyItem struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Survey is a satisfaction questionnaire.
type Survey struct {
	ID      int64        `json:"id" kewei:"readonly"`
	Name    string       `json:"name"`
	Items   []SurveyItem `json:"items"`
	Version int          `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (s *Survey) Validate() error {
	var p Problems
	p.checkText("name", &s.Name, true, 100)
	if len(s.Items) == 0 {
		p.Add("items", ReasonRequired, "ask about at least one thing")
	}
	seen := map[string]bool{}
	for i := range s.Items {
		p.checkText("items", &s.Items[i].Key, true, 40)
		p.checkText("items", &s.Items[i].Text, true, 200)
		if seen[s.Items[i].Key] {
			p.Add("items", ReasonDuplicate, "key %q is used twice", s.Items[i].Key)
		}
		seen[s.Items[i].Key] = true
	}
	return p.Err()
}

// SurveyAnswer is one item's two scores.
type SurveyAnswer struct {
	Key         string `json:"key"`
	Expectation int    `json:"expectation" doc:"1 to 7: what the customer expected."`
	Performance int    `json:"performance" doc:"1 to 7: what they got."`
}

// SurveyResponse is a customer's answers.
type SurveyResponse struct {
	ID         int64          `json:"id" kewei:"readonly"`
	SurveyID   int64          `json:"survey_id" kewei:"readonly"`
	CustomerID int64          `json:"customer_id" kewei:"readonly"`
	OwnerID    int64          `json:"owner_id" kewei:"readonly" doc:"The customer's owner when they answered: the consultant the answers judge."`
	Answers    []SurveyAnswer `json:"answers"`
	CSAT       int            `json:"csat" doc:"1 to 5: how satisfied overall."`
	NPS        int            `json:"nps" doc:"0 to 10: how likely to recommend."`
	Comment    string         `json:"comment"`
	Gap        float64        `json:"gap" kewei:"readonly" doc:"Mean of performance − expectation over the items: satisfaction."`
	At         time.Time      `json:"at" kewei:"readonly"`
}

// Score checks the answers against the survey and works out the gap.
func (r *SurveyResponse) Score(s *Survey) error {
	var p Problems
	keys := map[string]bool{}
	for _, it := range s.Items {
		keys[it.Key] = true
	}
	got := map[string]bool{}
	sum := 0
	for _, a := range r.Answers {
		if !keys[a.Key] || got[a.Key] {
			p.Add("answers", ReasonUnknownChoice, "%q is not a question of this survey, or is answered twice", a.Key)
			continue
		}
		got[a.Key] = true
		if a.Expectation < 1 || a.Expectation > 7 || a.Performance < 1 || a.Performance > 7 {
			p.Add("answers", ReasonOutOfRange, "%s: scores are 1 to 7", a.Key)
		}
		sum += a.Performance - a.Expectation
	}
	if len(got) != len(keys) {
		p.Add("answers", ReasonRequired, "answer every question")
	}
	if r.CSAT < 1 || r.CSAT > 5 {
		p.Add("csat", ReasonOutOfRange, "is 1 to 5")
	}
	if r.NPS < 0 || r.NPS > 10 {
		p.Add("nps", ReasonOutOfRange, "is 0 to 10")
	}
	p.checkText("comment", &r.Comment, false, 2000)
	if len(r.Answers) > 0 {
		r.Gap = float64(sum) / float64(len(r.Answers))
	}
	return p.Err()
}

// Low reports whether the answers call for the manager: dissatisfied
// (CSAT 1–2), a detractor (NPS 0–6), or well below expectations.
func (r *SurveyResponse) Low() bool { return r.CSAT <= 2 || r.NPS <= 6 || r.Gap <= -2 }

// SurveyInvite is a single-use, expiring link to a survey for a customer;
// the token is shown once and stored hashed.
type SurveyInvite struct {
	ID         int64     `json:"id"`
	SurveyID   int64     `json:"survey_id"`
	CustomerID int64     `json:"customer_id"`
	Token      string    `json:"token,omitempty" doc:"Only when made: the link is /s/TOKEN."`
	ExpiresAt  time.Time `json:"expires_at"`
	UsedAt     time.Time `json:"used_at"`
}

// SurveyService keeps surveys, invitations and answers.
type SurveyService interface {
	FindSurveys(ctx context.Context) ([]*Survey, error)
	// SaveSurvey creates or, with an id, replaces a survey (administrators).
	SaveSurvey(ctx context.Context, s *Survey) error
	// InviteToSurvey makes a link for a customer in scope, valid for days.
	InviteToSurvey(ctx context.Context, customerID, surveyID int64, days int) (*SurveyInvite, error)
	// OpenInvite reads the survey behind a token, refusing one expired or
	// used; it needs no sign-in.
	OpenInvite(ctx context.Context, token string) (*Survey, *SurveyInvite, error)
	// AnswerInvite records the answers once and closes the link; a low
	// score opens a task for the owner's manager.
	AnswerInvite(ctx context.Context, token string, r *SurveyResponse) error
	// FindResponses lists the answers of the customers in scope.
	FindResponses(ctx context.Context, customerID int64) ([]*SurveyResponse, error)
}
