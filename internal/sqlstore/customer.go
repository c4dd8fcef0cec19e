package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// CustomerService keeps customers in the database.
type CustomerService struct{ db *DB }

// NewCustomerService returns the customer service of db.
func NewCustomerService(db *DB) *CustomerService { return &CustomerService{db: db} }

var _ kewei.CustomerService = (*CustomerService)(nil)

// FindCustomerByID returns one customer the actor's scope covers, masked as
// their pii scope requires; others are not found.
func (s *CustomerService) FindCustomerByID(ctx context.Context, id int64) (*kewei.Customer, error) {
	var c *kewei.Customer
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		if c, err = visibleCustomer(ctx, tx, id); err != nil {
			return err
		}
		return present(ctx, tx, c)
	})
	return c, s.db.denied(ctx, err)
}

// CreateCustomer validates c, gives it an id and stores it with its search
// keys and tags. The owner defaults to the actor and must be within their
// scope.
func (s *CustomerService) CreateCustomer(ctx context.Context, c *kewei.Customer) error {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if c.OwnerID == 0 && !actor.System {
		c.OwnerID = actor.UserID
	}
	return s.db.writeTx(ctx, func(tx *Tx) error { return insertCustomer(ctx, tx, actor, c) })
}

// insertCustomer validates and writes a new customer, its search keys, its
// duplicate candidates and the audit entry, in tx.
func insertCustomer(ctx context.Context, tx *Tx, actor *kewei.Actor, c *kewei.Customer) error {
	if err := validateCustomer(ctx, tx, c); err != nil {
		return err
	}
	if err := checkOwner(ctx, tx, actor, c.OwnerID); err != nil {
		return err
	}
	c.ID = tx.db.ids.next()
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	c.CreatedBy, c.UpdatedBy = actor.UserID, actor.UserID
	c.Version = 1
	c.LastContactAt = nil
	if _, err := tx.exec(ctx, `INSERT INTO customers (`+customerWriteCols+`,
		last_contact_at, created_at, updated_at, created_by, updated_by, version, id)
		VALUES (`+placeholders(customerWriteColCount+7)+`)`,
		append(customerWriteArgs(c), 0, ms(c.CreatedAt), ms(c.UpdatedAt), c.CreatedBy, c.UpdatedBy, c.Version, c.ID)...); err != nil {
		return err
	}
	if err := writeCustomerIndex(ctx, tx, c, nil); err != nil {
		return err
	}
	if _, err := detectDuplicates(ctx, tx, []*kewei.Customer{c}); err != nil {
		return err
	}
	if err := tx.audit(ctx, kewei.ActionCreate, "customer", c.ID, c.ID, nil, c); err != nil {
		return err
	}
	return present(ctx, tx, c)
}

// UpdateCustomer applies p when p.Version is the stored version. Fields the
// actor sees masked may be sent back as they were shown, but not changed.
func (s *CustomerService) UpdateCustomer(ctx context.Context, id int64, p kewei.Patch) (*kewei.Customer, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var c *kewei.Customer
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := visibleCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "customer %d was changed by someone else (now version %d, you sent %d); reload and try again", id, old.Version, p.Version)
		}
		if old.ErasedAt != nil {
			return kewei.Errorf(kewei.ECONFLICT, "customer %d was erased and cannot be changed", id)
		}
		defs, err := findCustomFields(ctx, tx)
		if err != nil {
			return err
		}
		hideUndefined(defs, old)
		if !actor.Covers(kewei.ObjectPII, old.OwnerID, old.OwnerTeam) {
			if err := keepMasked(&p, old, defs); err != nil {
				return err
			}
		}
		c = cloneCustomer(old)
		if err := p.Apply(c); err != nil {
			return err
		}
		if err := validateCustomer(ctx, tx, c); err != nil {
			return err
		}
		if c.OwnerID != old.OwnerID {
			if err := checkOwner(ctx, tx, actor, c.OwnerID); err != nil {
				return err
			}
		}
		c.UpdatedAt, c.UpdatedBy, c.Version = tx.now, actor.UserID, old.Version+1
		res, err := tx.exec(ctx, `UPDATE customers SET (`+customerWriteCols+`, updated_at, updated_by, version) =
			(`+placeholders(customerWriteColCount+3)+`) WHERE id = ? AND version = ?`,
			append(customerWriteArgs(c), ms(c.UpdatedAt), c.UpdatedBy, c.Version, id, old.Version)...)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, "customers", id, "customer"); err != nil {
			return err
		}
		if err := writeCustomerIndex(ctx, tx, c, old); err != nil {
			return err
		}
		if c.Name != old.Name || c.Company != old.Company || !slices.Equal(customerKeys(c), customerKeys(old)) {
			if _, err := detectDuplicates(ctx, tx, []*kewei.Customer{c}); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, kewei.ActionUpdate, "customer", id, id, old, c); err != nil {
			return err
		}
		return present(ctx, tx, c)
	})
	return c, s.db.denied(ctx, err)
}

// DeleteCustomer removes the customer and its contacts, holdings,
// transactions and interactions when version is current.
func (s *CustomerService) DeleteCustomer(ctx context.Context, id int64, version int) error {
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM churn_scores WHERE customer_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM customers WHERE id = ? AND version = ?`, id, version)
		if err != nil {
			return err
		}
		if err := tx.checkAffected(ctx, res, "customers", id, "customer"); err != nil {
			return err
		}
		if err := syncSet(ctx, tx, "customer_search", "key", id, customerKeys(c), nil); err != nil {
			return err
		}
		if err := syncOwnedKeys(ctx, tx, id, c, nil, customerKeys(c), nil); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionDelete, "customer", id, id, c, nil)
	})
	return s.db.denied(ctx, err)
}

// checkOwner refuses an owner outside the actor's scope: a consultant keeps
// their customers, a manager hands them within the team.
func checkOwner(ctx context.Context, tx *Tx, a *kewei.Actor, ownerID int64) error {
	ok, err := ownerCovered(ctx, tx, a, ownerID)
	if err != nil || ok {
		return err
	}
	return &kewei.Error{Code: kewei.EFORBIDDEN, Message: "owner_id: you may not give a customer to someone outside your scope",
		Fields: []kewei.FieldError{{Field: "owner_id", Reason: kewei.ReasonOutOfRange, Message: "is outside your scope"}}}
}

// validateCustomer checks the customer itself, its custom values and that its
// owner is an active user.
func validateCustomer(ctx context.Context, tx *Tx, c *kewei.Customer) error {
	probs := kewei.Problems(kewei.ErrorFields(c.Validate()))
	defs, err := findCustomFields(ctx, tx)
	if err != nil {
		return err
	}
	probs = append(probs, kewei.ErrorFields(defs.Check(c.Custom))...)
	if c.OwnerID != 0 {
		var disabled bool
		found, err := tx.get(ctx, `SELECT disabled FROM users WHERE id = ?`, []any{c.OwnerID}, &disabled)
		if err != nil {
			return err
		}
		if !found || disabled {
			probs.Add("owner_id", kewei.ReasonUnknownChoice, "there is no active user %d", c.OwnerID)
		}
	}
	c.NamePinyin = customerPinyin(c)
	return probs.Err()
}

// customerPinyin returns the name in pinyin, read as a person's name for
// individuals.
func customerPinyin(c *kewei.Customer) string {
	return strings.Join(search.Pinyin(c.Name, c.Kind == kewei.KindIndividual), " ")
}

// hideUndefined drops values of custom fields that no longer exist: they
// stay stored but are neither shown nor validated.
func hideUndefined(defs kewei.CustomFieldSet, cs ...*kewei.Customer) {
	for _, c := range cs {
		for k := range c.Custom {
			if !slices.ContainsFunc(defs, func(f *kewei.CustomField) bool { return f.Key == k }) {
				delete(c.Custom, k)
			}
		}
	}
}
