package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

const churnModelCols = `id, active, as_of, horizon_days, label, rows_total, rows_left, roc_auc, pr_auc, card, actor_id, created_at`

func scanChurnModel(s scanner) (*kewei.ChurnModel, error) {
	m := &kewei.ChurnModel{}
	var asOf, created int64
	err := s.Scan(&m.ID, &m.Active, &asOf, &m.HorizonDays, jsonScan{&m.Label}, &m.Rows, &m.Left, &m.ROCAUC, &m.PRAUC,
		jsonScan{&m.Card}, &m.ActorID, &created)
	m.AsOf, m.CreatedAt = time.UnixMilli(asOf).UTC(), time.UnixMilli(created).UTC()
	return m, err
}

// SaveChurnModel stores a trained model (the model itself as JSON) and
// makes it the active one; the earlier ones are kept. Audited.
func (s *ChurnService) SaveChurnModel(ctx context.Context, m *kewei.ChurnModel, model []byte) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		m.ID, m.CreatedAt, m.ActorID, m.Active = tx.db.ids.next(), tx.now, a.UserID, true
		if _, err := tx.exec(ctx, `UPDATE churn_models SET active = ? WHERE active = ?`, false, true); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO churn_models (`+churnModelCols+`, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, true, ms(m.AsOf), m.HorizonDays, jsonValue{m.Label}, m.Rows, m.Left, m.ROCAUC, m.PRAUC, jsonValue{m.Card},
			m.ActorID, ms(m.CreatedAt), string(model)); err != nil {
			return err
		}
		summary := map[string]any{"as_of": m.AsOf, "horizon_days": m.HorizonDays, "rows": m.Rows, "left": m.Left, "roc_auc": m.ROCAUC}
		return tx.audit(ctx, kewei.ActionCreate, "churn_model", m.ID, 0, nil, summary)
	})
}

// FindChurnModels lists the models, newest first, without the models
// themselves.
func (s *ChurnService) FindChurnModels(ctx context.Context) ([]*kewei.ChurnModel, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	out := []*kewei.ChurnModel{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT `+churnModelCols+` FROM churn_models ORDER BY created_at DESC, id DESC LIMIT 50`, nil,
			func(r scanner) error {
				m, err := scanChurnModel(r)
				if err == nil {
					out = append(out, m)
				}
				return err
			})
	})
	return out, err
}

// ActiveChurnModel is the model that scores and its JSON; nil when none
// was trained. The JSON is left out when the active model is have, which
// the caller holds already.
func (s *ChurnService) ActiveChurnModel(ctx context.Context, have int64) (*kewei.ChurnModel, []byte, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, nil, err
	}
	var m *kewei.ChurnModel
	var model string
	err := s.db.readTx(ctx, func(tx *Tx) error {
		err := eachRow(ctx, tx, `SELECT `+churnModelCols+` FROM churn_models WHERE active = ? ORDER BY created_at DESC LIMIT 1`,
			[]any{true}, func(r scanner) error {
				var err error
				m, err = scanChurnModel(r)
				return err
			})
		if err != nil || m == nil || m.ID == have {
			return err
		}
		_, err = tx.get(ctx, `SELECT model FROM churn_models WHERE id = ?`, []any{m.ID}, &model)
		return err
	})
	if m == nil || err != nil {
		return nil, nil, err
	}
	if model == "" {
		return m, nil, nil
	}
	return m, []byte(model), nil
}

// ActivateChurnModel makes an earlier model the one that scores again.
// Audited.
func (s *ChurnService) ActivateChurnModel(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		var n int
		if _, err := tx.get(ctx, `SELECT COUNT(*) FROM churn_models WHERE id = ?`, []any{id}, &n); err != nil {
			return err
		}
		if n == 0 {
			return kewei.Errorf(kewei.ENOTFOUND, "no churn model %d", id)
		}
		if _, err := tx.exec(ctx, `UPDATE churn_models SET active = (id = ?)`, id); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "churn_model", id, 0, nil, map[string]any{"active": true})
	})
}

// SaveChurnScores replaces every customer's score with those of one run,
// in one transaction, so the risk list is never half old and half new.
func (s *ChurnService) SaveChurnScores(ctx context.Context, modelID int64, scores []kewei.ChurnScore) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	at := ms(s.db.now())
	rows := make([][]any, len(scores))
	for i, c := range scores {
		rows[i] = []any{c.CustomerID, modelID, c.Probability, c.Value, c.Probability * c.Value, at}
	}
	// COPY on PostgreSQL, multi-row inserts on SQLite; the old scores go in
	// the same transaction.
	err := s.db.dialect.copyTables(ctx, s.db, []stmt{{q: `DELETE FROM churn_scores`}}, []TableRows{{Table: "churn_scores",
		Cols: []string{"customer_id", "model_id", "probability", "value", "risk", "scored_at"}, Rows: rows}})
	// Every row was replaced: reclaim the old ones now, so tomorrow's
	// write does not wade through them.
	if st := s.db.dialect.vacuum("churn_scores"); err == nil && st != "" {
		if _, err = s.db.write.ExecContext(ctx, st); err != nil {
			err = s.db.mapError(err)
		}
	}
	return err
}

// FindChurnRisks lists the scored customers in the actor's scope,
// riskiest first; reasons are left to the caller.
func (s *ChurnService) FindChurnRisks(ctx context.Context, f kewei.ChurnFilter) ([]*kewei.ChurnRisk, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	if f.Owner != 0 {
		w = w.and(`c.owner_id = ?`, f.Owner)
	}
	if f.Team != 0 {
		w = w.and(`c.owner_id IN (SELECT id FROM users WHERE team_id = ?)`, f.Team)
	}
	if f.Tier != "" {
		w = w.and(`c.tier = ?`, f.Tier)
	}
	order := ` ORDER BY s.risk DESC, s.customer_id`
	if f.Sort == "probability" {
		order = ` ORDER BY s.probability DESC, s.customer_id`
	}
	limit := f.Limit
	if limit <= 0 || limit > kewei.MaxLimit {
		limit = 50
	}
	out := []*kewei.ChurnRisk{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, churnRiskSelect+w.sql()+order+` LIMIT ?`, append(w.args, limit), func(r scanner) error {
			c, err := scanChurnRisk(r)
			if err == nil {
				out = append(out, c)
			}
			return err
		})
	})
	return out, err
}

const churnRiskSelect = `SELECT c.id, c.name, COALESCE(c.owner_id, 0), COALESCE(u.display_name, ''), c.tier,
	s.probability, s.value, s.risk, s.scored_at, s.model_id
	FROM churn_scores s JOIN customers c ON c.id = s.customer_id LEFT JOIN users u ON u.id = c.owner_id`

func scanChurnRisk(r scanner) (*kewei.ChurnRisk, error) {
	c := &kewei.ChurnRisk{}
	var at int64
	err := r.Scan(&c.CustomerID, &c.CustomerName, &c.OwnerID, &c.OwnerName, &c.Tier, &c.Probability, &c.Value, &c.Risk, &at, &c.ModelID)
	c.ScoredAt = time.UnixMilli(at).UTC()
	return c, err
}

// CustomerChurn is one customer's score, nil when not scored; a customer
// out of scope is not found.
func (s *ChurnService) CustomerChurn(ctx context.Context, id int64) (*kewei.ChurnRisk, error) {
	var out *kewei.ChurnRisk
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, id); err != nil {
			return err
		}
		return eachRow(ctx, tx, churnRiskSelect+` WHERE c.id = ?`, []any{id}, func(r scanner) error {
			var err error
			out, err = scanChurnRisk(r)
			return err
		})
	})
	return out, s.db.denied(ctx, err)
}

// RecordRetention notes that retention was asked for today for the
// customers in scope not asked for in the last 30 days, and returns
// those; a customer out of scope is not found. Audited.
func (s *ChurnService) RecordRetention(ctx context.Context, ids []int64, today kewei.Date, modelID int64) (fresh []int64, err error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && a.Role != kewei.RoleManager {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only managers and administrators ask for retention")
	}
	since := today.Time(time.UTC).AddDate(0, 0, -30)
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if _, err := visibleCustomer(ctx, tx, id); err != nil {
				return err
			}
			var recent int
			if _, err := tx.get(ctx, `SELECT COUNT(*) FROM retention_requests WHERE customer_id = ? AND on_day >= ?`,
				[]any{id, kewei.DateOf(since).String()}, &recent); err != nil {
				return err
			}
			if recent > 0 {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO retention_requests (customer_id, on_day, model_id, actor_id, created_at) VALUES (?, ?, ?, ?, ?)`,
				id, today.String(), modelID, a.UserID, ms(tx.now)); err != nil {
				return err
			}
			if err := tx.audit(ctx, kewei.ActionCreate, "retention_request", id, id, nil, map[string]any{"day": today.String(), "model_id": modelID}); err != nil {
				return err
			}
			fresh = append(fresh, id)
		}
		return nil
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return fresh, nil
}
