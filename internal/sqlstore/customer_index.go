package sqlstore

import (
	"context"
	"slices"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// customerKeys returns the search keys of c.
func customerKeys(c *kewei.Customer) []string {
	phones := make([]string, len(c.Phones))
	for i, p := range c.Phones {
		phones[i] = p.Number
	}
	keys := search.Keys(search.Subject{Name: c.Name, Company: c.Company, Person: c.Kind == kewei.KindIndividual,
		Phones: phones, Email: c.Email, WeChat: c.WeChat})
	slices.Sort(keys)
	return keys
}

// writeCustomerIndex brings the search keys and tags of c up to date; old is
// the customer before the change, nil for a new one. Only differences are
// written.
func writeCustomerIndex(ctx context.Context, tx *Tx, c, old *kewei.Customer) error {
	var oldKeys, oldTags []string
	if old != nil {
		oldKeys, oldTags = customerKeys(old), old.Tags
	}
	keys := customerKeys(c)
	if err := syncSet(ctx, tx, "customer_search", "key", c.ID, oldKeys, keys); err != nil {
		return err
	}
	if err := syncOwnedKeys(ctx, tx, c.ID, old, c, oldKeys, keys); err != nil {
		return err
	}
	return syncSet(ctx, tx, "customer_tags", "tag", c.ID, oldTags, c.Tags)
}

// syncOwnedKeys keeps the keys by owner: all of them move when the owner
// changes, only the differences otherwise. A nil c removes them.
func syncOwnedKeys(ctx context.Context, tx *Tx, id int64, old, c *kewei.Customer, oldKeys, keys []string) error {
	var oldOwner, owner int64
	if old != nil {
		oldOwner = old.OwnerID
	}
	if c != nil {
		owner = c.OwnerID
	}
	have, want := oldKeys, keys
	if oldOwner != owner {
		for _, k := range oldKeys {
			if _, err := tx.exec(ctx, `DELETE FROM customer_search_owner WHERE owner_id = ? AND key = ? AND customer_id = ?`,
				oldOwner, k, id); err != nil {
				return err
			}
		}
		have = nil
	}
	for _, k := range have {
		if !slices.Contains(want, k) {
			if _, err := tx.exec(ctx, `DELETE FROM customer_search_owner WHERE owner_id = ? AND key = ? AND customer_id = ?`,
				owner, k, id); err != nil {
				return err
			}
		}
	}
	for _, k := range want {
		if !slices.Contains(have, k) {
			if _, err := tx.exec(ctx, `INSERT INTO customer_search_owner (owner_id, key, customer_id) VALUES (?, ?, ?)`,
				owner, k, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncSet makes the rows (col, customer_id) of table equal to want.
func syncSet(ctx context.Context, tx *Tx, table, col string, id int64, have, want []string) error {
	for _, v := range have {
		if !slices.Contains(want, v) {
			if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE `+col+` = ? AND customer_id = ?`, v, id); err != nil {
				return err
			}
		}
	}
	for _, v := range want {
		if !slices.Contains(have, v) {
			if _, err := tx.exec(ctx, `INSERT INTO `+table+` (`+col+`, customer_id) VALUES (?, ?)`, v, id); err != nil {
				return err
			}
		}
	}
	return nil
}
