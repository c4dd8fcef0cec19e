package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// ScoreCounter counts each user's results over a period.
type ScoreCounter struct{ db *DB }

// NewScoreCounter returns the counter of db.
func NewScoreCounter(db *DB) *ScoreCounter { return &ScoreCounter{db: db} }

var _ kewei.ScoreCounter = (*ScoreCounter)(nil)

// scoreQueries each yield (user_id, n[, m]) for a period [?, ?) and say
// where the numbers go.
var scoreQueries = []struct {
	q    string
	into func(l *kewei.ScoreLine, n, m float64)
}{
	// On time as in the adherence report: done within onTimeMS of the due time.
	{`SELECT assignee_id, COUNT(*), COALESCE(SUM(CASE WHEN status = 'done' AND done_at <= due_at + ` + itoa(onTimeMS) + ` THEN 1 ELSE 0 END), 0)
		FROM tasks WHERE due_at >= ? AND due_at < ? AND assignee_id <> 0 GROUP BY assignee_id`,
		func(l *kewei.ScoreLine, n, m float64) { l.TasksDue, l.TasksOnTime = int(n), int(m) }},
	{`SELECT user_id, COUNT(*), 0 FROM visits WHERE submitted_at >= ? AND submitted_at < ? GROUP BY user_id`,
		func(l *kewei.ScoreLine, n, _ float64) { l.VisitsMade = int(n) }},
	{`SELECT user_id, COUNT(*), 0 FROM visits WHERE status = 'approved' AND reviewed_at >= ? AND reviewed_at < ? GROUP BY user_id`,
		func(l *kewei.ScoreLine, n, _ float64) { l.VisitsApproved = int(n) }},
	{`SELECT owner_id, COUNT(*), COALESCE(SUM(csat), 0) FROM survey_responses WHERE at >= ? AND at < ? AND owner_id <> 0 GROUP BY owner_id`,
		func(l *kewei.ScoreLine, n, m float64) { l.Responses, l.CSAT = int(n), m/n }},
	{`SELECT k.user_id, COUNT(*), 0 FROM referrals r JOIN referral_cards k ON k.id = r.card_id
		WHERE r.linked_at >= ? AND r.linked_at < ? AND k.user_id IS NOT NULL GROUP BY k.user_id`,
		func(l *kewei.ScoreLine, n, _ float64) { l.Referrals = int(n) }},
	{`SELECT owner_id, COUNT(*), 0 FROM customers WHERE created_at >= ? AND created_at < ? AND owner_id IS NOT NULL GROUP BY owner_id`,
		func(l *kewei.ScoreLine, n, _ float64) { l.Gained = int(n) }},
	{`SELECT c.owner_id, COALESCE(SUM(CASE WHEN t.to_tier < t.from_tier THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN t.to_tier > t.from_tier THEN 1 ELSE 0 END), 0)
		FROM tier_changes t JOIN customers c ON c.id = t.customer_id
		WHERE t.at >= ? AND t.at < ? AND t.from_tier <> '' AND t.to_tier <> '' AND c.owner_id IS NOT NULL GROUP BY c.owner_id`,
		func(l *kewei.ScoreLine, n, m float64) { l.Upgraded, l.Downgraded = int(n), int(m) }},
	{`SELECT owner_id, COUNT(*), 0 FROM customers WHERE stage = 'lost' AND updated_at >= ? AND updated_at < ? AND owner_id IS NOT NULL
		GROUP BY owner_id`,
		func(l *kewei.ScoreLine, n, _ float64) { l.Lost = int(n) }},
}

// ScoreCounts counts, for every user, the tasks due and done on time,
// visits reported and approved, survey answers and their mean CSAT,
// referrals, and customers gained, moved up or down a tier (A is the top)
// and lost, in [from, to). The scorecard service decides whose lines a
// caller sees.
func (s *ScoreCounter) ScoreCounts(ctx context.Context, from, to time.Time) (map[int64]*kewei.ScoreLine, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	out := map[int64]*kewei.ScoreLine{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		for _, sq := range scoreQueries {
			if err := eachRow(ctx, tx, sq.q, []any{ms(from), ms(to)}, func(r scanner) error {
				var id int64
				var n, m float64
				if err := r.Scan(&id, &n, &m); err != nil {
					return err
				}
				if out[id] == nil {
					out[id] = &kewei.ScoreLine{UserID: id}
				}
				sq.into(out[id], n, m)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
