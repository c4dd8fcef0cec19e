package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
)

// TierService keeps tier rules, overrides, history and re-tiering runs.
type TierService struct{ db *DB }

// NewTierService returns the tier service of db.
func NewTierService(db *DB) *TierService { return &TierService{db: db} }

var _ kewei.TierStore = (*TierService)(nil)

const tierRuleCols = `name, line, method, metric, window_months, share_a, share_b, share_c, bands, category, field, enabled, labels`

func tierRuleArgs(r *kewei.TierRule) []any {
	return []any{r.Name, r.Line, r.Method, r.Metric, r.WindowMonths, r.ShareA, r.ShareB, r.ShareC,
		jsonValue{r.Bands}, r.Category, r.Field, r.Enabled, jsonValue{r.Labels}}
}

// FindTierRules lists the rules in the order they were made; anyone signed
// in may read them, since tiers are shown to everyone.
func (s *TierService) FindTierRules(ctx context.Context) ([]*kewei.TierRule, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	out := []*kewei.TierRule{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = findTierRules(ctx, tx, 0)
		return err
	})
	return out, err
}

func findTierRules(ctx context.Context, tx *Tx, id int64) ([]*kewei.TierRule, error) {
	q := `SELECT id, ` + tierRuleCols + `, created_at, updated_at, version FROM tier_rules`
	var args []any
	if id != 0 {
		q += ` WHERE id = ?`
		args = append(args, id)
	}
	rows, err := tx.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*kewei.TierRule{}
	for rows.Next() {
		r := &kewei.TierRule{}
		if err := rows.Scan(&r.ID, &r.Name, &r.Line, &r.Method, &r.Metric, &r.WindowMonths, &r.ShareA, &r.ShareB, &r.ShareC,
			jsonScan{&r.Bands}, &r.Category, &r.Field, &r.Enabled, jsonScan{&r.Labels},
			instant{&r.CreatedAt}, instant{&r.UpdatedAt}, &r.Version); err != nil {
			return nil, err
		}
		if r.Bands == nil {
			r.Bands = []kewei.TierBand{}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateTierRule adds a rule; administrators only.
func (s *TierService) CreateTierRule(ctx context.Context, r *kewei.TierRule) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		r.ID, r.CreatedAt, r.UpdatedAt, r.Version = tx.db.ids.next(), tx.now, tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO tier_rules (id, `+tierRuleCols+`, created_at, updated_at, version)
			VALUES (?, `+placeholders(13)+`, ?, ?, ?)`,
			append(append([]any{r.ID}, tierRuleArgs(r)...), ms(r.CreatedAt), ms(r.UpdatedAt), r.Version)...); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "tier_rule", r.ID, 0, nil, r)
	})
}

// UpdateTierRule replaces a rule's settings when r.Version is the stored
// version; administrators only.
func (s *TierService) UpdateTierRule(ctx context.Context, r *kewei.TierRule) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findTierRules(ctx, tx, r.ID)
		switch {
		case err != nil:
			return err
		case len(old) == 0:
			return kewei.Errorf(kewei.ENOTFOUND, "tier rule %d not found", r.ID)
		case old[0].Version != r.Version:
			return kewei.Errorf(kewei.ECONFLICT, "tier rule %d was changed by someone else (version %d, you sent %d)", r.ID, old[0].Version, r.Version)
		}
		r.CreatedAt, r.UpdatedAt, r.Version = old[0].CreatedAt, tx.now, old[0].Version+1
		if _, err := tx.exec(ctx, `UPDATE tier_rules SET (`+tierRuleCols+`, updated_at, version) = (`+placeholders(15)+`) WHERE id = ?`,
			append(tierRuleArgs(r), ms(r.UpdatedAt), r.Version, r.ID)...); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "tier_rule", r.ID, 0, old[0], r)
	})
}

// DeleteTierRule removes a rule; tiers it gave stay until the next run.
func (s *TierService) DeleteTierRule(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findTierRules(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return kewei.Errorf(kewei.ENOTFOUND, "tier rule %d not found", id)
		}
		if _, err := tx.exec(ctx, `DELETE FROM tier_rules WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "tier_rule", id, 0, old[0], nil)
	})
}
