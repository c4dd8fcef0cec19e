package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// VisitService keeps visit plans, reports and reviews.
type VisitService struct{ db *DB }

// NewVisitService returns the visits of db.
func NewVisitService(db *DB) *VisitService { return &VisitService{db: db} }

var _ kewei.VisitService = (*VisitService)(nil)

const visitSelect = `SELECT v.id, v.customer_id, c.name, v.user_id, COALESCE(u.display_name, ''), v.planned_at, v.purpose, v.questions,
	v.competitor_notes, v.checklist, v.status, v.decision_maker, v.influencers, v.front_desk, v.needs, v.next_steps,
	v.reviewer_id, COALESCE(r.display_name, ''), v.review_comment, v.submitted_at, v.reviewed_at, v.version
	FROM visits v JOIN customers c ON c.id = v.customer_id LEFT JOIN users u ON u.id = v.user_id LEFT JOIN users r ON r.id = v.reviewer_id`

func scanVisit(s scanner) (*kewei.Visit, error) {
	v := &kewei.Visit{}
	var sub, rev int64
	err := s.Scan(&v.ID, &v.CustomerID, &v.CustomerName, &v.UserID, &v.UserName, instant{&v.PlannedAt}, &v.Purpose, &v.Questions,
		&v.CompetitorNotes, jsonScan{&v.Checklist}, &v.Status, &v.DecisionMaker, &v.Influencers, &v.FrontDesk, &v.Needs, jsonScan{&v.NextSteps},
		&v.ReviewerID, &v.ReviewerName, &v.ReviewComment, &sub, &rev, &v.Version)
	v.SubmittedAt, v.ReviewedAt = fromMS(sub), fromMS(rev)
	if v.Checklist == nil {
		v.Checklist = []string{}
	}
	if v.NextSteps == nil {
		v.NextSteps = []string{}
	}
	v.Attachments = []*kewei.Attachment{}
	return v, err
}

// PlanVisit records the signed-in user's plan to visit a customer in scope.
func (s *VisitService) PlanVisit(ctx context.Context, v *kewei.Visit) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := v.ValidatePlan(); err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, v.CustomerID); err != nil {
			return err
		}
		v.ID, v.UserID, v.Status, v.Version = tx.db.ids.next(), a.UserID, kewei.VisitPlanned, 1
		if v.Checklist == nil {
			v.Checklist = []string{}
		}
		if _, err := tx.exec(ctx, `INSERT INTO visits (id, customer_id, user_id, planned_at, purpose, questions, competitor_notes, checklist,
			status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.CustomerID, v.UserID, ms(v.PlannedAt), v.Purpose, v.Questions,
			v.CompetitorNotes, jsonValue{v.Checklist}, v.Status, ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "visit", v.ID, v.CustomerID, nil, v)
	})
	return s.db.denied(ctx, err)
}

func findVisit(ctx context.Context, tx *Tx, id int64) (*kewei.Visit, error) {
	v, err := queryOne(ctx, tx, scanVisit, kewei.Errorf(kewei.ENOTFOUND, "visit %d not found", id), visitSelect+` WHERE v.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if _, err := visibleCustomer(ctx, tx, v.CustomerID); err != nil {
		return nil, err
	}
	v.Attachments, err = visitAttachments(ctx, tx, id)
	return v, err
}

// FindVisit reads a visit whose customer the actor sees.
func (s *VisitService) FindVisit(ctx context.Context, id int64) (*kewei.Visit, error) {
	var v *kewei.Visit
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		v, err = findVisit(ctx, tx, id)
		return err
	})
	return v, s.db.denied(ctx, err)
}

// FindVisits lists visits of the customers in scope, soonest first.
func (s *VisitService) FindVisits(ctx context.Context, f kewei.VisitFilter) ([]*kewei.Visit, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Mine {
		w = w.and(`v.user_id = ?`, a.UserID)
	}
	if f.Open {
		w = w.and(`v.status IN (?, ?)`, kewei.VisitPlanned, kewei.VisitReturned)
	}
	if f.Customer != 0 {
		w = w.and(`v.customer_id = ?`, f.Customer)
	}
	if f.ToReview {
		w = w.and(`v.status = ? AND v.user_id <> ?`, kewei.VisitSubmitted, a.UserID)
	}
	limit := f.Limit
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = 100
	}
	out := []*kewei.Visit{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, visitSelect+w.sql()+` ORDER BY v.planned_at DESC, v.id DESC LIMIT ?`, append(w.args, limit), func(r scanner) error {
			v, err := scanVisit(r)
			if err == nil {
				out = append(out, v)
			}
			return err
		})
	})
	return out, err
}

// ReportVisit saves and submits the report: the visiting consultant's own
// visit, planned or returned.
func (s *VisitService) ReportVisit(ctx context.Context, id int64, rep *kewei.Visit) (*kewei.Visit, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := rep.ValidateReport(); err != nil {
		return nil, err
	}
	var v *kewei.Visit
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if v, err = findVisit(ctx, tx, id); err != nil {
			return err
		}
		switch {
		case v.UserID != a.UserID:
			return kewei.Errorf(kewei.EFORBIDDEN, "only the consultant who visited reports the visit")
		case v.Version != rep.Version:
			return kewei.Errorf(kewei.ECONFLICT, "visit %d was changed by someone else; reload and try again", id)
		case v.Status != kewei.VisitPlanned && v.Status != kewei.VisitReturned:
			return kewei.Errorf(kewei.ECONFLICT, "a %s visit's report cannot be submitted again", v.Status)
		}
		before := *v
		var steps []string
		for _, st := range rep.NextSteps {
			if st = strings.TrimSpace(st); st != "" {
				steps = append(steps, st)
			}
		}
		v.DecisionMaker, v.Influencers, v.FrontDesk, v.Needs, v.NextSteps = rep.DecisionMaker, rep.Influencers, rep.FrontDesk, rep.Needs, steps
		if v.NextSteps == nil {
			v.NextSteps = []string{}
		}
		v.Status, v.SubmittedAt, v.Version = kewei.VisitSubmitted, tx.now, v.Version+1
		if _, err := tx.exec(ctx, `UPDATE visits SET decision_maker = ?, influencers = ?, front_desk = ?, needs = ?, next_steps = ?, status = ?,
			submitted_at = ?, version = ? WHERE id = ?`, v.DecisionMaker, v.Influencers, v.FrontDesk, v.Needs, jsonValue{v.NextSteps}, v.Status,
			ms(v.SubmittedAt), v.Version, v.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "visit", v.ID, v.CustomerID, &before, v)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return v, nil
}

// ReviewVisit approves or returns a submitted report. Only the manager of
// the consultant's team (or an administrator) may; an approval turns each
// next step into a task for the consultant, due the next day.
func (s *VisitService) ReviewVisit(ctx context.Context, id int64, r kewei.VisitReview) (*kewei.Visit, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && a.Role != kewei.RoleManager {
		return nil, s.db.denied(ctx, kewei.Errorf(kewei.EFORBIDDEN, "only managers review visit reports"))
	}
	var v *kewei.Visit
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if v, err = findVisit(ctx, tx, id); err != nil {
			return err
		}
		reviews, err := managesUser(ctx, tx, a.UserID, v.UserID)
		if err != nil {
			return err
		}
		switch {
		case !a.IsAdmin() && !reviews:
			return kewei.Errorf(kewei.EFORBIDDEN, "only the consultant's manager reviews the report")
		case v.UserID == a.UserID:
			return kewei.Errorf(kewei.EFORBIDDEN, "nobody reviews their own report")
		case v.Version != r.Version:
			return kewei.Errorf(kewei.ECONFLICT, "visit %d was changed by someone else; reload and try again", id)
		case v.Status != kewei.VisitSubmitted:
			return kewei.Errorf(kewei.ECONFLICT, "only a submitted report is reviewed; this visit is %s", v.Status)
		case !r.Approve && strings.TrimSpace(r.Comment) == "":
			var p kewei.Problems
			p.Add("comment", kewei.ReasonRequired, "say what to change")
			return p.Err()
		}
		before := *v
		v.Status = kewei.VisitReturned
		if r.Approve {
			v.Status = kewei.VisitApproved
		}
		v.ReviewerID, v.ReviewerName, v.ReviewComment, v.ReviewedAt, v.Version = a.UserID, a.Name, strings.TrimSpace(r.Comment), tx.now, v.Version+1
		if _, err := tx.exec(ctx, `UPDATE visits SET status = ?, reviewer_id = ?, review_comment = ?, reviewed_at = ?, version = ? WHERE id = ?`,
			v.Status, v.ReviewerID, v.ReviewComment, ms(v.ReviewedAt), v.Version, v.ID); err != nil {
			return err
		}
		if r.Approve {
			day := kewei.DateOf(tx.now)
			for i, step := range v.NextSteps {
				if _, err := tx.exec(ctx, `INSERT INTO tasks (id, customer_id, playbook_id, step_key, anchor, due_at, assignee_id, assignee_role,
					action, talking_points, created_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
					tx.db.ids.next(), v.CustomerID, "visit:"+itoa(v.ID)+":"+itoa(int64(i)), day.String(), ms(tx.now.Add(24*time.Hour)),
					v.UserID, kewei.AssignOwner, kewei.InteractionCall, step, ms(tx.now)); err != nil {
					return err
				}
			}
		}
		return tx.audit(ctx, kewei.ActionUpdate, "visit", v.ID, v.CustomerID, &before, v)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return v, nil
}

// managesUser reports whether manager manages a team on the way up from
// user's team: the team's manager, or a manager of a team above it.
func managesUser(ctx context.Context, tx *Tx, manager, user int64) (bool, error) {
	var team int64
	if _, err := tx.get(ctx, `SELECT COALESCE(team_id, 0) FROM users WHERE id = ?`, []any{user}, &team); err != nil {
		return false, err
	}
	for depth := 0; team != 0 && depth < 32; depth++ { // teams cannot loop; the bound is a guard
		var m, parent int64
		if _, err := tx.get(ctx, `SELECT COALESCE(manager_id, 0), COALESCE(parent_id, 0) FROM teams WHERE id = ?`, []any{team}, &m, &parent); err != nil {
			return false, err
		}
		if m == manager {
			return true, nil
		}
		team = parent
	}
	return false, nil
}
