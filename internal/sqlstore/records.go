package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// NewRecords returns the services for customers' contacts, holdings,
// transactions and interactions.
func NewRecords(db *DB) kewei.Records {
	return kewei.Records{
		Contacts:     &recordService[kewei.Contact]{db: db, t: &contactTable},
		Holdings:     &recordService[kewei.Holding]{db: db, t: &holdingTable},
		Transactions: &recordService[kewei.Transaction]{db: db, t: &transactionTable},
		Interactions: &recordService[kewei.Interaction]{db: db, t: &interactionTable},
		Services:     &recordService[kewei.ServiceRecord]{db: db, t: &serviceTable},
	}
}

var contactTable = recordTable[kewei.Contact]{
	table: "contacts", what: "contact", dateCol: "created_at",
	cols: `name, title, role, phones, email, wechat, birthday, note`,
	args: func(c *kewei.Contact) []any {
		return []any{c.Name, c.Title, c.Role, jsonValue{c.Phones}, c.Email, c.WeChat, c.Birthday, c.Note}
	},
	selects: `r.name, r.title, r.role, r.phones, r.email, r.wechat, r.birthday, r.note`,
	scan: func(c *kewei.Contact) []any {
		return []any{&c.Name, &c.Title, &c.Role, jsonScan{&c.Phones}, &c.Email, &c.WeChat, &c.Birthday, &c.Note}
	},
	meta: func(c *kewei.Contact) meta { return meta{&c.ID, &c.CustomerID, &c.CreatedAt, &c.UpdatedAt, &c.Version} },
	date: func(c *kewei.Contact) time.Time { return c.CreatedAt },
}

var holdingTable = recordTable[kewei.Holding]{
	table: "holdings", what: "holding", dateCol: "created_at",
	cols: `product, category, serial, value, status, acquired_on, first_service_due, renewal_due, ended_on, note`,
	args: func(h *kewei.Holding) []any {
		return []any{h.Product, h.Category, h.Serial, h.Value, h.Status, h.AcquiredOn, h.FirstServiceDue,
			h.RenewalDue, h.EndedOn, h.Note}
	},
	selects: `r.product, r.category, r.serial, r.value, r.status, r.acquired_on, r.first_service_due,
		r.renewal_due, r.ended_on, r.note, r.due_on, r.due_source`,
	scan: func(h *kewei.Holding) []any {
		return []any{&h.Product, &h.Category, &h.Serial, &h.Value, &h.Status, &h.AcquiredOn, &h.FirstServiceDue,
			&h.RenewalDue, &h.EndedOn, &h.Note, &h.DueOn, &h.DueSource}
	},
	meta: func(h *kewei.Holding) meta { return meta{&h.ID, &h.CustomerID, &h.CreatedAt, &h.UpdatedAt, &h.Version} },
	date: func(h *kewei.Holding) time.Time { return h.CreatedAt },
	// A holding's due date depends on the customer's other holdings.
	changed: refreshCustomerDue,
}

var transactionTable = recordTable[kewei.Transaction]{
	table: "transactions", what: "transaction", dateCol: "occurred_at",
	cols: `occurred_at, amount, profit, product, quantity, channel, region, external_id, note`,
	args: func(t *kewei.Transaction) []any {
		return []any{ms(t.OccurredAt), t.Amount, t.Profit, t.Product, t.Quantity, t.Channel, t.Region,
			nullString(t.ExternalID), t.Note}
	},
	selects: `r.occurred_at, r.amount, r.profit, r.product, r.quantity, r.channel, r.region, r.external_id, r.note`,
	scan: func(t *kewei.Transaction) []any {
		return []any{instant{&t.OccurredAt}, &t.Amount, &t.Profit, &t.Product, &t.Quantity, &t.Channel,
			&t.Region, nullText{&t.ExternalID}, &t.Note}
	},
	meta: func(t *kewei.Transaction) meta {
		return meta{&t.ID, &t.CustomerID, &t.CreatedAt, &t.UpdatedAt, &t.Version}
	},
	date: func(t *kewei.Transaction) time.Time { return t.OccurredAt },
	prepare: func(ctx context.Context, tx *Tx, t *kewei.Transaction) error {
		t.OccurredAt = t.OccurredAt.UTC().Truncate(time.Millisecond)
		return nil
	},
}

var interactionTable = recordTable[kewei.Interaction]{
	table: "interactions", what: "interaction", dateCol: "occurred_at",
	cols: `kind, direction, purpose, occurred_at, user_id, summary, outcome, next_step`,
	args: func(i *kewei.Interaction) []any {
		return []any{i.Kind, i.Direction, i.Purpose, ms(i.OccurredAt), nullID(i.UserID), i.Summary, i.Outcome, i.NextStep}
	},
	selects: `r.kind, r.direction, r.purpose, r.occurred_at, r.user_id, COALESCE(u.display_name, ''), r.summary,
		r.outcome, r.next_step`,
	joins: `LEFT JOIN users u ON u.id = r.user_id`,
	scan: func(i *kewei.Interaction) []any {
		return []any{&i.Kind, &i.Direction, &i.Purpose, instant{&i.OccurredAt}, optID{&i.UserID}, &i.UserName,
			&i.Summary, &i.Outcome, &i.NextStep}
	},
	meta: func(i *kewei.Interaction) meta {
		return meta{&i.ID, &i.CustomerID, &i.CreatedAt, &i.UpdatedAt, &i.Version}
	},
	date:    func(i *kewei.Interaction) time.Time { return i.OccurredAt },
	prepare: prepareInteraction,
	changed: refreshLastContact,
	added:   laterContact,
}

// prepareInteraction fills who and when from the request and checks that
// the user exists.
func prepareInteraction(ctx context.Context, tx *Tx, i *kewei.Interaction) error {
	if i.OccurredAt.IsZero() {
		i.OccurredAt = tx.now
	}
	i.OccurredAt = i.OccurredAt.UTC().Truncate(time.Millisecond)
	if i.UserID == 0 {
		i.UserID = kewei.ActorUserID(ctx)
	}
	if ch := kewei.ChannelOf(i.Kind); ch != "" && i.Direction != kewei.DirectionIn && i.CustomerID != 0 {
		ok, err := mayContact(ctx, tx, i.CustomerID, ch)
		if err != nil {
			return err
		}
		if !ok {
			var p kewei.Problems
			p.Add("kind", "no_consent", "the customer has withdrawn consent to %s contact; see their consent ledger", ch)
			return p.Err()
		}
	}
	if i.UserID == 0 {
		return nil
	}
	if a := kewei.ActorFrom(ctx); a != nil && !a.System && a.UserID == i.UserID && a.DisplayName != "" {
		i.UserName = a.DisplayName // who is signed in exists
		return nil
	}
	found, err := tx.get(ctx, `SELECT display_name FROM users WHERE id = ?`, []any{i.UserID}, &i.UserName)
	if err == nil && !found {
		var p kewei.Problems
		p.Add("user_id", kewei.ReasonUnknownChoice, "there is no user %d", i.UserID)
		return p.Err()
	}
	return err
}

// laterContact moves the customer's last contact forward to a new
// interaction, when it is later: no recount of their interactions.
func laterContact(ctx context.Context, tx *Tx, i *kewei.Interaction) error {
	at := ms(i.OccurredAt)
	_, err := tx.exec(ctx, `UPDATE customers SET last_contact_at = ? WHERE id = ? AND COALESCE(last_contact_at, 0) < ?`,
		at, i.CustomerID, at)
	return err
}

// refreshLastContact keeps customers.last_contact_at equal to the latest
// interaction, so lists can filter and sort on it. It is derived data: the
// customer's version does not change.
func refreshLastContact(ctx context.Context, tx *Tx, customerID int64) error {
	_, err := tx.exec(ctx, `UPDATE customers SET last_contact_at =
		COALESCE((SELECT MAX(occurred_at) FROM interactions WHERE customer_id = ?), 0) WHERE id = ?`,
		customerID, customerID)
	return err
}
