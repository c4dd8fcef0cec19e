package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// CustomFieldService keeps custom field definitions.
type CustomFieldService struct{ db *DB }

// NewCustomFieldService returns the custom field service of db.
func NewCustomFieldService(db *DB) *CustomFieldService { return &CustomFieldService{db: db} }

var _ kewei.CustomFieldService = (*CustomFieldService)(nil)

const customFieldCols = `key, label_zh, label_en, type, choices, required, sensitive, position`

func customFieldArgs(f *kewei.CustomField) []any {
	return []any{f.Key, f.LabelZH, f.LabelEN, f.Type, jsonValue{f.Choices}, f.Required, f.Sensitive, f.Position}
}

// FindCustomFields returns every definition in form order.
func (s *CustomFieldService) FindCustomFields(ctx context.Context) (kewei.CustomFieldSet, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var set kewei.CustomFieldSet
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		set, err = findCustomFields(ctx, tx)
		return err
	})
	return set, err
}

// findCustomFields returns the definitions, in order. A read takes them
// from the cache (read_cache.go); each caller gets its own copies.
func findCustomFields(ctx context.Context, tx *Tx) (kewei.CustomFieldSet, error) {
	if !tx.reading {
		return readCustomFields(ctx, tx)
	}
	now := time.Now()
	set, ok := tx.db.fields.get("", now)
	if !ok {
		var err error
		if set, err = readCustomFields(ctx, tx); err != nil {
			return nil, err
		}
		tx.db.fields.put("", set, tx.gens.fields, now)
	}
	out := make(kewei.CustomFieldSet, len(set))
	for i, f := range set {
		c := *f
		out[i] = &c
	}
	return out, nil
}

func readCustomFields(ctx context.Context, tx *Tx) (kewei.CustomFieldSet, error) {
	rows, err := tx.query(ctx, `SELECT id, `+customFieldCols+`, created_at, updated_at, version
		FROM custom_fields ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := kewei.CustomFieldSet{}
	for rows.Next() {
		f := &kewei.CustomField{}
		if err := rows.Scan(&f.ID, &f.Key, &f.LabelZH, &f.LabelEN, &f.Type, jsonScan{&f.Choices}, &f.Required,
			&f.Sensitive, &f.Position, instant{&f.CreatedAt}, instant{&f.UpdatedAt}, &f.Version); err != nil {
			return nil, err
		}
		set = append(set, f)
	}
	return set, rows.Err()
}

func findCustomField(ctx context.Context, tx *Tx, id int64) (*kewei.CustomField, error) {
	set, err := findCustomFields(ctx, tx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(set, func(f *kewei.CustomField) bool { return f.ID == id })
	if i < 0 {
		return nil, kewei.Errorf(kewei.ENOTFOUND, "custom field %d not found", id)
	}
	return set[i], nil
}

// CreateCustomField adds a definition; administrators only.
func (s *CustomFieldService) CreateCustomField(ctx context.Context, f *kewei.CustomField) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		f.ID, f.CreatedAt, f.UpdatedAt, f.Version = tx.db.ids.next(), tx.now, tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO custom_fields (id, `+customFieldCols+`, created_at, updated_at, version)
			VALUES (?, `+placeholders(8)+`, ?, ?, ?)`,
			append(append([]any{f.ID}, customFieldArgs(f)...), ms(f.CreatedAt), ms(f.UpdatedAt), f.Version)...); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "custom_field", f.ID, 0, nil, f)
	})
}

// UpdateCustomField changes labels, choices, flags and position; the key and
// the type stay as they were, since stored values depend on them.
func (s *CustomFieldService) UpdateCustomField(ctx context.Context, id int64, p kewei.Patch) (*kewei.CustomField, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var f *kewei.CustomField
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findCustomField(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "custom field %d was changed by someone else (now version %d); reload and try again", id, old.Version)
		}
		n := *old
		n.Choices = slices.Clone(old.Choices)
		if err := p.Apply(&n); err != nil {
			return err
		}
		var probs kewei.Problems
		if n.Key != old.Key {
			probs.Add("key", kewei.ReasonOutOfRange, "cannot change; create a new field instead")
		}
		if n.Type != old.Type {
			probs.Add("type", kewei.ReasonOutOfRange, "cannot change; create a new field instead")
		}
		probs = append(probs, kewei.ErrorFields(n.Validate())...)
		if err := probs.Err(); err != nil {
			return err
		}
		n.UpdatedAt, n.Version = tx.now, old.Version+1
		res, err := tx.exec(ctx, `UPDATE custom_fields SET (`+customFieldCols+`, updated_at, version) = (`+placeholders(10)+`)
			WHERE id = ? AND version = ?`, append(customFieldArgs(&n), ms(n.UpdatedAt), n.Version, id, old.Version)...)
		if err != nil {
			return err
		}
		f = &n
		if err := tx.checkAffected(ctx, res, "custom_fields", id, "custom field"); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "custom_field", id, 0, old, f)
	})
	return f, err
}

// DeleteCustomField removes a definition. Customers keep their values until
// they are next changed, hidden meanwhile, so re-creating the same key by
// mistake-and-repair brings them back.
func (s *CustomFieldService) DeleteCustomField(ctx context.Context, id int64, version int) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := findCustomField(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM custom_fields WHERE id = ? AND version = ?`, id, version)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, "custom_fields", id, "custom field"); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "custom_field", id, 0, old, nil)
	})
}

// requireAdmin allows administrators and the system only. Finer rights come
// with roles and scopes.
func requireAdmin(ctx context.Context) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return kewei.Errorf(kewei.EFORBIDDEN, "only administrators may do this")
	}
	return nil
}
