package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/kewei-crm/kewei"
)

// erasedName replaces an erased person's name.
const erasedName = "已抹除"

// erasedText replaces free text that may have named or described them.
const erasedText = "[已抹除 erased]"

// ErasePerson anonymises a customer in place (administrators only): the
// records and their dates and amounts stay, everything that identifies the
// person goes — from the customer, their contacts, holdings' serials, the
// free text of transactions and interactions, and the audit payloads that
// described them. A tombstone of salted hashes of their phones, email,
// WeChat id and name with birthday keeps them from being brought back.
func (s *PrivacyService) ErasePerson(ctx context.Context, customerID int64, reason string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		var p kewei.Problems
		p.Add("reason", kewei.ReasonRequired, "say why the person is erased (their request, retention, …)")
		return p.Err()
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		c, err := findCustomer(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if c.ErasedAt != nil {
			return kewei.Errorf(kewei.ECONFLICT, "customer %d was already erased", customerID)
		}
		ids, err := identifiers(ctx, tx, c)
		if err != nil {
			return err
		}
		old := cloneCustomer(c)
		anonymise(c)
		c.NamePinyin, c.UpdatedAt, c.UpdatedBy, c.Version = "", tx.now, kewei.ActorUserID(ctx), old.Version+1
		if _, err := tx.exec(ctx, `UPDATE customers SET (`+customerWriteCols+`, updated_at, updated_by, version, erased_at) =
			(`+placeholders(customerWriteColCount+4)+`) WHERE id = ?`,
			append(customerWriteArgs(c), ms(tx.now), c.UpdatedBy, c.Version, ms(tx.now), customerID)...); err != nil {
			return err
		}
		if err := writeCustomerIndex(ctx, tx, c, old); err != nil {
			return err
		}
		// Entries of this group not yet in the log are erased too.
		if err := tx.flushAudit(ctx); err != nil {
			return err
		}
		for _, st := range []string{
			`UPDATE contacts SET name = '` + erasedName + `', title = '', phones = '[]', email = '', wechat = '', birthday = NULL, note = '' WHERE customer_id = ?`,
			`UPDATE holdings SET serial = '', note = '' WHERE customer_id = ?`,
			`UPDATE transactions SET note = '' WHERE customer_id = ?`,
			`UPDATE interactions SET summary = '` + erasedText + `', outcome = '', next_step = '' WHERE customer_id = ?`,
			`UPDATE audit_payloads SET payload = '{"erased":true}', erased = true
				WHERE erased = false AND seq IN (SELECT seq FROM audit_log WHERE customer_id = ?)`,
		} {
			if _, err := tx.exec(ctx, st, customerID); err != nil {
				return err
			}
		}
		body, _ := json.Marshal(ids)
		if _, err := tx.exec(ctx, `INSERT INTO erasures (customer_id, at, actor_id, reason, identifiers) VALUES (?, ?, ?, ?, ?)`,
			customerID, ms(tx.now), kewei.ActorUserID(ctx), reason, string(body)); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionErase, "customer", customerID, 0, map[string]string{"reason": reason})
	})
}

// anonymise clears everything that identifies the customer.
func anonymise(c *kewei.Customer) {
	*c = kewei.Customer{ID: c.ID, Kind: c.Kind, Name: erasedName, Stage: c.Stage, Tier: c.Tier, Intent: c.Intent,
		Source: c.Source, OwnerID: c.OwnerID, Province: c.Province, City: c.City, AgeBand: c.AgeBand, Gender: c.Gender,
		Industry: c.Industry, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, Version: c.Version}
	c.Normalize()
}

// identifiers returns salted hashes of what identified the customer.
func identifiers(ctx context.Context, tx *Tx, c *kewei.Customer) ([]string, error) {
	var salt string
	if _, err := tx.get(ctx, `SELECT value FROM settings WHERE key = 'erasure_salt'`, nil, &salt); err != nil {
		return nil, err
	}
	var raw []string
	for _, p := range c.Phones {
		raw = append(raw, "phone:"+p.Number)
	}
	if c.Email != "" {
		raw = append(raw, "email:"+c.Email)
	}
	if c.WeChat != "" {
		raw = append(raw, "wechat:"+strings.ToLower(c.WeChat))
	}
	if !c.Birthday.IsZero() {
		raw = append(raw, "person:"+c.Name+"|"+c.Birthday.String())
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = hashHex([]byte(salt + "|" + r))
	}
	return out, nil
}
