package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

const taskSelect = `SELECT t.id, t.customer_id, c.name, t.playbook_id, COALESCE(p.name, ''), t.step_key, t.anchor, t.due_at,
	t.assignee_id, COALESCE(u.display_name, ''), t.assignee_role, t.action, t.talking_points, t.survey_id, t.status, t.skip_reason, t.done_at,
	t.interaction_id, t.escalated_at, t.created_at, t.version
	FROM tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN playbooks p ON p.id = t.playbook_id
	LEFT JOIN users u ON u.id = t.assignee_id`

func scanTask(r scanner, now time.Time) (*kewei.Task, error) {
	t := &kewei.Task{}
	var anchor string
	var done, escalated int64
	err := r.Scan(&t.ID, &t.CustomerID, &t.CustomerName, &t.PlaybookID, &t.PlaybookName, &t.StepKey, &anchor, instant{&t.DueAt},
		&t.AssigneeID, &t.AssigneeName, &t.AssigneeRole, &t.Action, &t.TalkingPoints, &t.SurveyID, &t.Status, &t.SkipReason, &done,
		&t.InteractionID, &escalated, instant{&t.CreatedAt}, &t.Version)
	if err != nil {
		return nil, err
	}
	t.Anchor, _ = kewei.ParseDate(anchor)
	t.DoneAt, t.EscalatedAt = fromMS(done), fromMS(escalated)
	if t.Status == kewei.TaskOpen && t.DueAt.Before(now) {
		t.Status = kewei.TaskOverdue
	}
	return t, nil
}

// FindTasks lists tasks of the customers the actor sees, soonest due first.
func (s *PlaybookService) FindTasks(ctx context.Context, f kewei.TaskFilter) (*kewei.List[*kewei.Task], error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = 50
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Mine {
		if a.Role == kewei.RoleService {
			w = w.and(`(t.assignee_id = ? OR (t.assignee_id = 0 AND t.assignee_role = ?))`, a.UserID, kewei.AssignService)
		} else {
			w = w.and(`t.assignee_id = ?`, a.UserID)
		}
	}
	if f.CustomerID != 0 {
		w = w.and(`t.customer_id = ?`, f.CustomerID)
	}
	now := s.db.Now()
	if len(f.Statuses) > 0 {
		var ors []string
		var args []any
		for _, st := range f.Statuses {
			switch st {
			case kewei.TaskOverdue:
				ors, args = append(ors, `(t.status = ? AND t.due_at < ?)`), append(args, kewei.TaskOpen, ms(now))
			case kewei.TaskOpen, kewei.TaskDone, kewei.TaskSkipped:
				ors, args = append(ors, `t.status = ?`), append(args, st)
			default:
				var p kewei.Problems
				p.Add("status", kewei.ReasonUnknownChoice, "must be open, overdue, done or skipped")
				return nil, p.Err()
			}
		}
		w = w.and(`(`+strings.Join(ors, ` OR `)+`)`, args...)
	}
	if !f.DueBefore.IsZero() {
		w = w.and(`t.due_at < ?`, ms(f.DueBefore))
	}
	if f.Cursor != "" {
		due, id, ok := strings.Cut(f.Cursor, ".")
		d, err1 := strconv.ParseInt(due, 10, 64)
		i, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, kewei.Errorf(kewei.EINVALID, "cursor: is not one this list gave")
		}
		w = w.and(`(t.due_at > ? OR (t.due_at = ? AND t.id > ?))`, d, d, i)
	}
	out := &kewei.List[*kewei.Task]{Items: []*kewei.Task{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, taskSelect+w.sql()+` ORDER BY t.due_at, t.id LIMIT ?`, append(w.args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTask(rows, now)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, t)
		}
		return rows.Err()
	})
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = fmt.Sprintf("%d.%d", ms(last.DueAt), last.ID)
	}
	out.Total = len(out.Items)
	return out, err
}

// findTask reads a task whose customer the actor sees.
func findTask(ctx context.Context, tx *Tx, id int64) (*kewei.Task, error) {
	rows, err := tx.query(ctx, taskSelect+` WHERE t.id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, kewei.Errorf(kewei.ENOTFOUND, "task %d not found", id)
	}
	t, err := scanTask(rows, tx.now)
	if err != nil {
		return nil, err
	}
	rows.Close()
	if _, err := visibleCustomer(ctx, tx, t.CustomerID); err != nil {
		return nil, err
	}
	if t.Status != kewei.TaskOpen && t.Status != kewei.TaskOverdue {
		return nil, kewei.Errorf(kewei.ECONFLICT, "task %d is already %s", id, t.Status)
	}
	return t, nil
}

// CompleteTask marks the task done and logs the interaction it was, in one
// transaction; a refused channel refuses both.
func (s *PlaybookService) CompleteTask(ctx context.Context, id int64, c kewei.TaskCompletion) (*kewei.Task, error) {
	var t *kewei.Task
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTask(ctx, tx, id); err != nil {
			return err
		}
		summary := strings.TrimSpace(c.Summary)
		if summary == "" {
			summary = t.TalkingPoints
		}
		in := &kewei.Interaction{Kind: t.Action, Summary: summary, Outcome: c.Outcome, OccurredAt: tx.now}
		if err := interactions(s.db).create(ctx, tx, t.CustomerID, in); err != nil {
			return err
		}
		t.Status, t.DoneAt, t.InteractionID, t.Version = kewei.TaskDone, tx.now, in.ID, t.Version+1
		return s.closeTask(ctx, tx, t)
	})
	return t, s.db.denied(ctx, err)
}

// SkipTask closes the task with the reason it was not done.
func (s *PlaybookService) SkipTask(ctx context.Context, id int64, reason string) (*kewei.Task, error) {
	var t *kewei.Task
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTask(ctx, tx, id); err != nil {
			return err
		}
		var p kewei.Problems
		p.Add("reason", kewei.ReasonRequired, "say why the task is skipped")
		if reason = strings.TrimSpace(reason); reason == "" {
			return p.Err()
		}
		t.Status, t.SkipReason, t.DoneAt, t.Version = kewei.TaskSkipped, reason, tx.now, t.Version+1
		return s.closeTask(ctx, tx, t)
	})
	return t, s.db.denied(ctx, err)
}

func (s *PlaybookService) closeTask(ctx context.Context, tx *Tx, t *kewei.Task) error {
	res, err := tx.exec(ctx, `UPDATE tasks SET status = ?, skip_reason = ?, done_at = ?, interaction_id = ?, version = ?
		WHERE id = ? AND version = ?`, t.Status, t.SkipReason, ms(t.DoneAt), t.InteractionID, t.Version, t.ID, t.Version-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return kewei.Errorf(kewei.ECONFLICT, "task %d was changed by someone else", t.ID)
	}
	return tx.audit(ctx, kewei.ActionUpdate, "task", t.ID, t.CustomerID, nil, t)
}

// interactions is the record service of interactions, for writes that
// share another's transaction.
func interactions(db *DB) *recordService[kewei.Interaction] {
	return &recordService[kewei.Interaction]{db: db, t: &interactionTable}
}

// InsertTasks creates the planned tasks that do not exist yet. The unique
// key (customer, playbook, step, anchor) makes a second run, a restart or
// another process plan nothing twice.
func (s *PlaybookService) InsertTasks(ctx context.Context, ts []kewei.PlannedTask, dueAt func(kewei.Date) time.Time) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(ts); start += 2000 {
		chunk := ts[start:min(start+2000, len(ts))]
		err := s.db.writeTx(ctx, func(tx *Tx) error {
			for part := 0; part < len(chunk); part += 400 {
				rows := chunk[part:min(part+400, len(chunk))]
				args := make([]any, 0, len(rows)*12)
				for _, p := range rows {
					args = append(args, tx.db.ids.next(), p.CustomerID, p.PlaybookID, p.StepKey, p.Anchor.String(), ms(dueAt(p.Due)),
						p.AssigneeID, p.Role, p.Action, p.TalkingPoints, p.SurveyID, ms(tx.now))
				}
				res, err := tx.exec(ctx, `INSERT INTO tasks (id, customer_id, playbook_id, step_key, anchor, due_at, assignee_id, assignee_role,
					action, talking_points, survey_id, created_at) VALUES `+rowsOf(len(rows), 12)+` ON CONFLICT DO NOTHING`, args...)
				if err != nil {
					return err
				}
				k, _ := res.RowsAffected()
				n += int(k)
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// EscalateTasks moves overdue open tasks to the manager of the assignee's
// team, once; a task whose assignee has no manager, or is the manager,
// stays. Each move is audited.
func (s *PlaybookService) EscalateTasks(ctx context.Context, before time.Time) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT t.id, t.customer_id, t.assignee_id, tm.manager_id FROM tasks t
			JOIN users u ON u.id = t.assignee_id JOIN teams tm ON tm.id = u.team_id
			WHERE t.status = ? AND t.due_at < ? AND t.escalated_at = 0 AND tm.manager_id IS NOT NULL AND tm.manager_id <> t.assignee_id`,
			kewei.TaskOpen, ms(before))
		if err != nil {
			return err
		}
		type move struct{ id, customer, from, to int64 }
		var moves []move
		for rows.Next() {
			var m move
			if err := rows.Scan(&m.id, &m.customer, &m.from, &m.to); err != nil {
				rows.Close()
				return err
			}
			moves = append(moves, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range moves {
			if _, err := tx.exec(ctx, `UPDATE tasks SET assignee_id = ?, assignee_role = ?, escalated_at = ?, version = version + 1 WHERE id = ?`,
				m.to, kewei.AssignManager, ms(tx.now), m.id); err != nil {
				return err
			}
			if err := tx.audit(ctx, kewei.ActionUpdate, "task", m.id, m.customer, map[string]int64{"assignee_id": m.from},
				map[string]any{"assignee_id": m.to, "escalated": true}); err != nil {
				return err
			}
		}
		n = len(moves)
		return nil
	})
	return n, err
}
