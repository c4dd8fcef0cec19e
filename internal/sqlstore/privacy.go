package sqlstore

import (
	"context"
	"fmt"

	"github.com/kewei-crm/kewei"
)

// PrivacyService keeps consent and carries out people's rights.
type PrivacyService struct {
	db      *DB
	records kewei.Records
}

// NewPrivacyService returns the privacy service of db.
func NewPrivacyService(db *DB) *PrivacyService {
	return &PrivacyService{db: db, records: NewRecords(db)}
}

var _ kewei.PrivacyService = (*PrivacyService)(nil)

// FindConsents returns the customer's consent ledger, newest first.
func (s *PrivacyService) FindConsents(ctx context.Context, customerID int64) ([]*kewei.Consent, error) {
	list := []*kewei.Consent{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT id, customer_id, channel, granted, source, note, at, actor_id FROM consents
			WHERE customer_id = ? ORDER BY at DESC, id DESC`, customerID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := &kewei.Consent{}
			if err := rows.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Granted, &c.Source, &c.Note, instant{&c.At}, &c.ActorID); err != nil {
				return err
			}
			list = append(list, c)
		}
		return rows.Err()
	})
	return list, s.db.denied(ctx, err)
}

// RecordConsent appends an answer to the ledger; a marketing answer also
// sets the customer's marketing_consent flag.
func (s *PrivacyService) RecordConsent(ctx context.Context, customerID int64, c *kewei.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		c.ID, c.CustomerID, c.At, c.ActorID = tx.db.ids.next(), customerID, tx.now, kewei.ActorUserID(ctx)
		if _, err := tx.exec(ctx, `INSERT INTO consents (id, customer_id, channel, granted, source, note, at, actor_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, customerID, c.Channel, c.Granted, c.Source, c.Note, ms(c.At), c.ActorID); err != nil {
			return err
		}
		if c.Channel == kewei.ChannelMarketing {
			if _, err := tx.exec(ctx, `UPDATE customers SET marketing_consent = ? WHERE id = ?`, c.Granted, customerID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionCreate, "consent", c.ID, customerID, nil, c)
	})
	return s.db.denied(ctx, err)
}

// MayContact reports whether the customer may be contacted on the channel.
func (s *PrivacyService) MayContact(ctx context.Context, customerID int64, ch kewei.Channel) (bool, error) {
	var ok bool
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var err error
		ok, err = mayContact(ctx, tx, customerID, ch)
		return err
	})
	return ok, s.db.denied(ctx, err)
}

// mayContact reads the latest answer on the channel. Without one, service
// contact is allowed and marketing follows the customer's marketing flag.
func mayContact(ctx context.Context, tx *Tx, customerID int64, ch kewei.Channel) (bool, error) {
	var granted bool
	found, err := tx.get(ctx, `SELECT granted FROM consents WHERE customer_id = ? AND channel = ?
		ORDER BY at DESC, id DESC LIMIT 1`, []any{customerID, ch}, &granted)
	if err != nil || found {
		return granted, err
	}
	if ch != kewei.ChannelMarketing {
		return true, nil
	}
	_, err = tx.get(ctx, `SELECT marketing_consent FROM customers WHERE id = ?`, []any{customerID}, &granted)
	return granted, err
}

// ExportPerson returns everything held about the customer, unmasked, to
// administrators and to users whose pii scope covers the customer.
func (s *PrivacyService) ExportPerson(ctx context.Context, customerID int64) (*kewei.PersonExport, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	out := &kewei.PersonExport{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if !a.IsAdmin() && !a.Covers(kewei.ObjectPII, c.OwnerID, c.OwnerTeam) {
			return kewei.Errorf(kewei.EFORBIDDEN, "only administrators and those who may see this customer's personal data may export it")
		}
		out.Customer, out.ExportedAt = c, tx.now
		return nil
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	// The records are read as the system: the check above is the one that
	// decides, and the export must be whole and unmasked.
	sys := kewei.WithActor(ctx, kewei.SystemActor)
	if out.Contacts, err = allRecords(sys, s.records.Contacts, customerID); err != nil {
		return nil, err
	}
	if out.Holdings, err = allRecords(sys, s.records.Holdings, customerID); err != nil {
		return nil, err
	}
	if out.Transactions, err = allRecords(sys, s.records.Transactions, customerID); err != nil {
		return nil, err
	}
	if out.Interactions, err = allRecords(sys, s.records.Interactions, customerID); err != nil {
		return nil, err
	}
	if out.Consents, err = s.FindConsents(sys, customerID); err != nil {
		return nil, err
	}
	counts := map[string]int{"contacts": len(out.Contacts), "holdings": len(out.Holdings),
		"transactions": len(out.Transactions), "interactions": len(out.Interactions)}
	return out, s.db.auditAlone(ctx, kewei.ActionExport, "customer", customerID, customerID, counts)
}

// allRecords reads every page of a customer's records.
func allRecords[T any](ctx context.Context, svc kewei.RecordService[T], customerID int64) ([]*T, error) {
	var all []*T
	f := kewei.RecordFilter{CustomerID: customerID, Limit: kewei.MaxLimit}
	for {
		page, err := svc.List(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all, nil
		}
		f.Cursor = page.Next
	}
}

// ApplyRetention erases lost customers with no change and no contact for the
// given years; administrators and the system only.
func (s *PrivacyService) ApplyRetention(ctx context.Context, years int) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	if years < 1 {
		var p kewei.Problems
		p.Add("years", kewei.ReasonOutOfRange, "must be at least 1")
		return 0, p.Err()
	}
	cutoff := ms(s.db.now().AddDate(-years, 0, 0))
	var ids []int64
	err := s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id FROM customers WHERE stage = ? AND erased_at = 0 AND updated_at < ?
			AND last_contact_at < ? ORDER BY id`, kewei.StageLost, cutoff, cutoff)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, err
	}
	reason := fmt.Sprintf("retention: lost and untouched for more than %d years", years)
	for i, id := range ids {
		if err := s.ErasePerson(ctx, id, reason); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}
