package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// onTimeMS is how late a task may be done and still count as on time.
const onTimeMS = int64(24 * time.Hour / time.Millisecond)

// TaskAdherence counts the tasks of the customers the actor sees, due in
// [from, to), by assignee, their team and the playbook step.
func (s *PlaybookService) TaskAdherence(ctx context.Context, from, to time.Time) ([]kewei.AdherenceRow, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}.and(`t.due_at >= ? AND t.due_at < ?`, ms(from), ms(to))
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	now := ms(s.db.Now())
	var out []kewei.AdherenceRow
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT t.assignee_id, COALESCE(u.display_name, ''), COALESCE(u.team_id, 0), COALESCE(tm.name, ''),
			t.playbook_id, COALESCE(p.name, ''), t.step_key, COUNT(*),
			SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END),
			SUM(CASE WHEN t.status = 'done' AND t.done_at <= t.due_at + ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN t.status = 'skipped' THEN 1 ELSE 0 END),
			SUM(CASE WHEN t.status = 'open' AND t.due_at < ? THEN 1 ELSE 0 END)
			FROM tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id
			LEFT JOIN teams tm ON tm.id = u.team_id LEFT JOIN playbooks p ON p.id = t.playbook_id`+w.sql()+`
			GROUP BY t.assignee_id, u.display_name, u.team_id, tm.name, t.playbook_id, p.name, t.step_key`,
			append([]any{onTimeMS, now}, w.args...), func(r scanner) error {
				var row kewei.AdherenceRow
				if err := r.Scan(&row.AssigneeID, &row.AssigneeName, &row.TeamID, &row.TeamName, &row.PlaybookID, &row.PlaybookName,
					&row.StepKey, &row.Due, &row.Done, &row.OnTime, &row.Skipped, &row.Overdue); err != nil {
					return err
				}
				out = append(out, row)
				return nil
			})
	})
	return out, err
}

// Coverage counts the customers the actor sees by tier, and those whose
// last contact is before since or who were never contacted.
func (s *PlaybookService) Coverage(ctx context.Context, since time.Time) ([]kewei.CoverageLine, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}.and(`c.stage <> ?`, kewei.StageLost)
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	byTier := map[kewei.Tier]*kewei.CoverageLine{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT c.tier, COUNT(*), SUM(CASE WHEN c.last_contact_at < ? THEN 1 ELSE 0 END) FROM customers c`+w.sql()+
			` GROUP BY c.tier`, append([]any{ms(since)}, w.args...), func(r scanner) error {
			var l kewei.CoverageLine
			if err := r.Scan(&l.Tier, &l.Customers, &l.NotContacted); err != nil {
				return err
			}
			byTier[l.Tier] = &l
			return nil
		})
	})
	out := []kewei.CoverageLine{}
	for _, t := range append(kewei.Tiers, "") {
		if l := byTier[t]; l != nil {
			out = append(out, *l)
		}
	}
	return out, err
}
