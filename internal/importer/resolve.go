package importer

import (
	"context"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// customers turns a batch's rows into new customers: a number already in
// Kewei or earlier in the file is skipped, the owner is found by name and
// must be someone the actor may give customers to.
func (j *Job) customers(ctx context.Context, p *pending, b *kewei.Batch) (int, error) {
	var refs []string
	for _, row := range p.rows {
		if ext := row.Customer.ExternalID; ext != "" {
			refs = append(refs, ext)
		}
	}
	existing, err := j.r.Store.ExistingCustomers(ctx, refs)
	if err != nil {
		return 0, err
	}
	for _, row := range p.rows {
		c := row.Customer
		if ext := c.ExternalID; ext != "" {
			key := j.parser.Key(ext)
			if first, ok := j.seen[key]; ok {
				p.fail(Problem{Line: row.Line, Column: j.column("external_id"), Value: ext, Reason: kewei.ReasonDuplicate,
					Message: "line " + strconv.Itoa(first) + " has the same customer number"})
				continue
			}
			j.seen[key] = row.Line
			if existing[ext] {
				p.fail(Problem{Line: row.Line, Column: j.column("external_id"), Value: ext, Reason: ReasonAlreadyImported,
					Message: "a customer with this number is already in Kewei; skipped"})
				continue
			}
		}
		owner, ok := j.person(p, row, "owner")
		if !ok {
			continue
		}
		if !j.actor.Covers(kewei.ObjectCustomers, owner.ID, owner.TeamID) {
			p.fail(Problem{Line: row.Line, Column: j.column("owner"), Value: row.Person, Reason: kewei.ReasonOutOfRange,
				Message: "you may not give customers to someone outside your scope"})
			continue
		}
		c.OwnerID = owner.ID
		j.newCustomer(c)
		b.Customers = append(b.Customers, c)
	}
	return len(b.Customers), nil
}

// person finds the user a row names in a column, or the actor when it
// names none.
func (j *Job) person(p *pending, row *Row, field string) (kewei.UserRef, bool) {
	if row.Person == "" {
		return kewei.UserRef{ID: j.actor.UserID, TeamID: j.actor.TeamID}, true
	}
	u, ok := j.users[row.Person]
	if !ok {
		p.fail(Problem{Line: row.Line, Column: j.column(field), Value: row.Person, Reason: ReasonUnknownUser,
			Message: "no active user has this sign-in or display name"})
	}
	return u, ok
}

func (j *Job) newCustomer(c *kewei.Customer) {
	j.stamp(&c.ID, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	c.CreatedBy, c.UpdatedBy = j.actor.UserID, j.actor.UserID
}

// records gives a batch's contacts, holdings, transactions or interactions
// their customers: numbers are looked up within the actor's scope; an
// unknown one fails its rows, or with CreateCustomers becomes a customer
// owned by the actor. Transactions already in Kewei are skipped.
func (j *Job) records(ctx context.Context, p *pending, b *kewei.Batch) (int, error) {
	ids, err := j.resolve(ctx, p, b)
	if err != nil {
		return 0, err
	}
	var kept []*Row
	for _, row := range p.rows {
		id, ok := ids[row.CustomerRef]
		if !ok {
			continue
		}
		switch {
		case row.Contact != nil:
			r := row.Contact
			r.CustomerID = id
			j.stamp(&r.ID, &r.CreatedAt, &r.UpdatedAt, &r.Version)
		case row.Holding != nil:
			r := row.Holding
			r.CustomerID = id
			j.stamp(&r.ID, &r.CreatedAt, &r.UpdatedAt, &r.Version)
		case row.Transaction != nil:
			r := row.Transaction
			r.CustomerID = id
			j.stamp(&r.ID, &r.CreatedAt, &r.UpdatedAt, &r.Version)
		case row.Interaction != nil:
			u, ok := j.person(p, row, "user")
			if !ok {
				continue
			}
			r := row.Interaction
			r.CustomerID, r.UserID = id, u.ID
			j.stamp(&r.ID, &r.CreatedAt, &r.UpdatedAt, &r.Version)
		}
		kept = append(kept, row)
	}
	kept, err = j.newTransactions(ctx, p, kept)
	if err != nil {
		return 0, err
	}
	for _, row := range kept {
		switch {
		case row.Contact != nil:
			b.Contacts = append(b.Contacts, row.Contact)
		case row.Holding != nil:
			b.Holdings = append(b.Holdings, row.Holding)
		case row.Transaction != nil:
			b.Transactions = append(b.Transactions, row.Transaction)
		case row.Interaction != nil:
			b.Interactions = append(b.Interactions, row.Interaction)
		}
	}
	return len(kept), nil
}

// resolve maps the batch's customer numbers to ids, failing the rows of
// numbers it cannot map, or making customers for them.
func (j *Job) resolve(ctx context.Context, p *pending, b *kewei.Batch) (map[string]int64, error) {
	var refs []string
	want := map[string]bool{}
	for _, row := range p.rows {
		if ref := row.CustomerRef; !want[ref] && j.created[ref] == 0 {
			want[ref] = true
			refs = append(refs, ref)
		}
	}
	ids, err := j.r.Store.ResolveCustomers(ctx, refs)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, ref := range refs {
		if _, ok := ids[ref]; !ok {
			missing = append(missing, ref)
		}
	}
	hidden, err := j.r.Store.ExistingCustomers(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, row := range p.rows {
		ref := row.CustomerRef
		if id := j.created[ref]; id != 0 {
			ids[ref] = id
		}
		if _, ok := ids[ref]; ok {
			continue
		}
		switch {
		case hidden[ref]:
			p.fail(Problem{Line: row.Line, Column: j.column("customer"), Value: ref, Reason: ReasonUnknownCustomer,
				Message: "this customer is outside your scope"})
		case j.opt.CreateCustomers && j.actor.Covers(kewei.ObjectCustomers, j.actor.UserID, j.actor.TeamID):
			c := &kewei.Customer{Kind: kewei.KindIndividual, Name: ref, ExternalID: ref, OwnerID: j.actor.UserID}
			j.newCustomer(c)
			b.Customers = append(b.Customers, c)
			j.created[ref], ids[ref] = c.ID, c.ID
		default:
			p.fail(Problem{Line: row.Line, Column: j.column("customer"), Value: ref, Reason: ReasonUnknownCustomer,
				Message: "no customer has this number; import the customers first, or create them with this import"})
		}
	}
	return ids, nil
}

// newTransactions drops the transactions Kewei already has, by their
// customer and number.
func (j *Job) newTransactions(ctx context.Context, p *pending, rows []*Row) ([]*Row, error) {
	if !j.checkNumbers {
		return rows, nil
	}
	var keys []kewei.TransactionKey
	for _, row := range rows {
		if t := row.Transaction; t != nil && t.ExternalID != "" {
			keys = append(keys, kewei.TransactionKey{CustomerID: t.CustomerID, ExternalID: t.ExternalID})
		}
	}
	if len(keys) == 0 {
		return rows, nil
	}
	have, err := j.r.Store.ExistingTransactions(ctx, keys)
	if err != nil || len(have) == 0 {
		return rows, err
	}
	kept := rows[:0]
	for _, row := range rows {
		if t := row.Transaction; t != nil && have[kewei.TransactionKey{CustomerID: t.CustomerID, ExternalID: t.ExternalID}] {
			p.fail(Problem{Line: row.Line, Column: j.column("external_id"), Value: t.ExternalID, Reason: ReasonAlreadyImported,
				Message: "this transaction is already in Kewei; skipped"})
			continue
		}
		kept = append(kept, row)
	}
	return kept, nil
}

// products puts a batch's catalogue rows in: a code already in Kewei is
// updated, a code repeated in the file fails its later lines.
func (j *Job) products(p *pending, b *kewei.Batch) int {
	for _, row := range p.rows {
		pr := row.Product
		key := j.parser.Key(pr.Code)
		if first, ok := j.seen[key]; ok {
			p.fail(Problem{Line: row.Line, Column: j.column("code"), Value: pr.Code, Reason: kewei.ReasonDuplicate,
				Message: "line " + strconv.Itoa(first) + " has the same product code"})
			continue
		}
		j.seen[key] = row.Line
		j.stamp(&pr.ID, &pr.CreatedAt, &pr.UpdatedAt, &pr.Version)
		b.Products = append(b.Products, pr)
	}
	return len(b.Products)
}
