package sqlstore

import (
	"context"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

// SurveyService keeps surveys, their links and the answers.
type SurveyService struct{ db *DB }

// NewSurveyService returns the surveys of db.
func NewSurveyService(db *DB) *SurveyService { return &SurveyService{db: db} }

var _ kewei.SurveyService = (*SurveyService)(nil)

// surveyPrefix starts every survey link token.
const surveyPrefix = "kws_"

func findSurvey(ctx context.Context, tx *Tx, id int64) (*kewei.Survey, error) {
	s := &kewei.Survey{}
	found, err := tx.get(ctx, `SELECT id, name, items, version FROM surveys WHERE id = ?`, []any{id}, &s.ID, &s.Name, jsonScan{&s.Items}, &s.Version)
	if err == nil && !found {
		err = kewei.Errorf(kewei.ENOTFOUND, "survey %d not found", id)
	}
	return s, err
}

// FindSurveys lists the surveys; anyone signed in may.
func (s *SurveyService) FindSurveys(ctx context.Context) ([]*kewei.Survey, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	out := []*kewei.Survey{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT id, name, items, version FROM surveys ORDER BY id`, nil, func(r scanner) error {
			v := &kewei.Survey{}
			if err := r.Scan(&v.ID, &v.Name, jsonScan{&v.Items}, &v.Version); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}

// SaveSurvey creates or replaces a survey; administrators only, audited.
func (s *SurveyService) SaveSurvey(ctx context.Context, v *kewei.Survey) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		if v.ID == 0 {
			v.ID, v.Version = tx.db.ids.next(), 1
			if _, err := tx.exec(ctx, `INSERT INTO surveys (id, name, items, version) VALUES (?, ?, ?, 1)`, v.ID, v.Name, jsonValue{v.Items}); err != nil {
				return err
			}
			return tx.audit(ctx, kewei.ActionCreate, "survey", v.ID, 0, nil, v)
		}
		old, err := findSurvey(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		v.Version = old.Version + 1
		if _, err := tx.exec(ctx, `UPDATE surveys SET name = ?, items = ?, version = ? WHERE id = ?`, v.Name, jsonValue{v.Items}, v.Version, v.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "survey", v.ID, 0, old, v)
	})
}

// InviteToSurvey makes a single-use link valid for days (7 when 0).
func (s *SurveyService) InviteToSurvey(ctx context.Context, customerID, surveyID int64, days int) (*kewei.SurveyInvite, error) {
	if days <= 0 {
		days = 7
	}
	if days > 90 {
		var p kewei.Problems
		p.Add("days", kewei.ReasonOutOfRange, "a link lives at most 90 days")
		return nil, p.Err()
	}
	inv := &kewei.SurveyInvite{SurveyID: surveyID, CustomerID: customerID}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		if _, err := findSurvey(ctx, tx, surveyID); err != nil {
			return err
		}
		token, hash := newToken(surveyPrefix)
		inv.ID, inv.Token, inv.ExpiresAt = tx.db.ids.next(), token, tx.now.AddDate(0, 0, days)
		if _, err := tx.exec(ctx, `INSERT INTO survey_invites (id, survey_id, customer_id, token_hash, expires_at, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, inv.ID, surveyID, customerID, hash, ms(inv.ExpiresAt), kewei.ActorUserID(ctx), ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "survey_invite", inv.ID, customerID, nil, map[string]any{"survey_id": surveyID, "expires_at": inv.ExpiresAt})
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return inv, nil
}

var errLinkGone = kewei.Errorf(kewei.ENOTFOUND, "this survey link is unknown, used or expired")

func openInvite(ctx context.Context, tx *Tx, token string) (*kewei.Survey, *kewei.SurveyInvite, error) {
	inv := &kewei.SurveyInvite{}
	var expires, used int64
	found, err := tx.get(ctx, `SELECT id, survey_id, customer_id, expires_at, used_at FROM survey_invites WHERE token_hash = ?`,
		[]any{hashToken(token)}, &inv.ID, &inv.SurveyID, &inv.CustomerID, &expires, &used)
	switch {
	case err != nil:
		return nil, nil, err
	case !found || used != 0 || tx.now.After(fromMS(expires)):
		return nil, nil, errLinkGone
	}
	inv.ExpiresAt = fromMS(expires)
	sv, err := findSurvey(ctx, tx, inv.SurveyID)
	return sv, inv, err
}

// OpenInvite reads the survey of a live link.
func (s *SurveyService) OpenInvite(ctx context.Context, token string) (*kewei.Survey, *kewei.SurveyInvite, error) {
	var sv *kewei.Survey
	var inv *kewei.SurveyInvite
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		sv, inv, err = openInvite(ctx, tx, token)
		return err
	})
	return sv, inv, err
}

// AnswerInvite records the answers, closes the link, and, for a low score,
// plans a call for the manager of the customer's owner (or the owner).
func (s *SurveyService) AnswerInvite(ctx context.Context, token string, r *kewei.SurveyResponse) error {
	return s.db.writeTx(ctx, func(tx *Tx) error {
		sv, inv, err := openInvite(ctx, tx, token)
		if err != nil {
			return err
		}
		if err := r.Score(sv); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE survey_invites SET used_at = ? WHERE id = ? AND used_at = 0`, ms(tx.now), inv.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errLinkGone
		}
		var owner, manager int64
		if _, err := tx.get(ctx, `SELECT COALESCE(c.owner_id, 0), COALESCE(t.manager_id, 0) FROM customers c LEFT JOIN users u ON u.id = c.owner_id
			LEFT JOIN teams t ON t.id = u.team_id WHERE c.id = ?`, []any{inv.CustomerID}, &owner, &manager); err != nil {
			return err
		}
		r.ID, r.SurveyID, r.CustomerID, r.OwnerID, r.At = tx.db.ids.next(), sv.ID, inv.CustomerID, owner, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO survey_responses (id, invite_id, survey_id, customer_id, owner_id, answers, csat, nps, gap, comment, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, inv.ID, sv.ID, r.CustomerID, owner, jsonValue{r.Answers}, r.CSAT, r.NPS, r.Gap,
			r.Comment, ms(tx.now)); err != nil {
			return err
		}
		if r.Low() {
			who, role := manager, kewei.AssignManager
			if who == 0 {
				who, role = owner, kewei.AssignOwner
			}
			today := kewei.DateOf(tx.now)
			if _, err := tx.exec(ctx, `INSERT INTO tasks (id, customer_id, playbook_id, step_key, anchor, due_at, assignee_id, assignee_role,
				action, talking_points, created_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				tx.db.ids.next(), r.CustomerID, "low_score:"+itoa(r.ID), today.String(), ms(tx.now.Add(24*time.Hour)), who, role,
				kewei.InteractionCall, "满意度低：CSAT "+itoa(int64(r.CSAT))+"，NPS "+itoa(int64(r.NPS))+"；了解原因并补救", ms(tx.now)); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, kewei.ActionCreate, "survey_response", r.ID, r.CustomerID, map[string]any{"csat": r.CSAT, "nps": r.NPS, "gap": r.Gap})
	})
}

// FindResponses lists a customer's answers, newest first (0: every customer
// in scope).
func (s *SurveyService) FindResponses(ctx context.Context, customerID int64) ([]*kewei.SurveyResponse, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if customerID != 0 {
		w = w.and(`r.customer_id = ?`, customerID)
	}
	out := []*kewei.SurveyResponse{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT r.id, r.survey_id, r.customer_id, r.owner_id, r.answers, r.csat, r.nps, r.gap, r.comment, r.at
			FROM survey_responses r JOIN customers c ON c.id = r.customer_id`+w.sql()+` ORDER BY r.at DESC, r.id DESC LIMIT 1000`, w.args,
			func(rs scanner) error {
				v := &kewei.SurveyResponse{}
				if err := rs.Scan(&v.ID, &v.SurveyID, &v.CustomerID, &v.OwnerID, jsonScan{&v.Answers}, &v.CSAT, &v.NPS, &v.Gap, &v.Comment, instant{&v.At}); err != nil {
					return err
				}
				out = append(out, v)
				return nil
			})
	})
	return out, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
