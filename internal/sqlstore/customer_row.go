package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// customerWriteCols are the columns a create or an update writes, in the
// order of customerWriteArgs.
const customerWriteCols = `kind, name, name_pinyin, external_id, phones, email, wechat, company, industry,
	occupation, age_band, gender, province, city, district, address, source, owner_id, stage, intent, tier,
	birthday, important_dates, family, preferences, tags, custom, marketing_consent`

const customerWriteColCount = 28

func customerWriteArgs(c *kewei.Customer) []any {
	return []any{c.Kind, c.Name, c.NamePinyin, nullString(c.ExternalID), jsonValue{c.Phones}, c.Email, c.WeChat,
		c.Company, c.Industry, c.Occupation, c.AgeBand, c.Gender, c.Province, c.City, c.District, c.Address,
		c.Source, nullID(c.OwnerID), c.Stage, c.Intent, c.Tier, c.Birthday, jsonValue{c.ImportantDates},
		jsonValue{c.Family}, c.Preferences, jsonValue{c.Tags}, jsonValue{c.Custom}, c.MarketingConsent}
}

// customerCols are the columns scanCustomer reads, with the owner's name
// from users u.
const customerCols = `c.id, c.kind, c.name, c.name_pinyin, c.external_id, c.phones, c.email, c.wechat,
	c.company, c.industry, c.occupation, c.age_band, c.gender, c.province, c.city, c.district, c.address,
	c.source, c.owner_id, c.stage, c.intent, c.tier, c.birthday, c.important_dates, c.family, c.preferences,
	c.tags, c.custom, c.marketing_consent, c.last_contact_at, c.created_at, c.updated_at, c.created_by,
	c.updated_by, c.version, c.erased_at, COALESCE(u.display_name, ''), COALESCE(u.team_id, 0)`

// customerSelect reads customers with their owner's name.
const customerSelect = `SELECT ` + customerCols + ` FROM customers c LEFT JOIN users u ON u.id = c.owner_id`

// scanCustomer reads the columns of customerCols, then any extra ones into
// extra.
func scanCustomer(rows scanner, extra ...any) (*kewei.Customer, error) {
	c := &kewei.Customer{}
	err := rows.Scan(append([]any{&c.ID, &c.Kind, &c.Name, &c.NamePinyin, nullText{&c.ExternalID}, jsonScan{&c.Phones},
		&c.Email, &c.WeChat, &c.Company, &c.Industry, &c.Occupation, &c.AgeBand, &c.Gender, &c.Province,
		&c.City, &c.District, &c.Address, &c.Source, optID{&c.OwnerID}, &c.Stage, &c.Intent, &c.Tier,
		&c.Birthday, jsonScan{&c.ImportantDates}, jsonScan{&c.Family}, &c.Preferences, jsonScan{&c.Tags},
		jsonScan{&c.Custom}, &c.MarketingConsent, optInstant{&c.LastContactAt}, instant{&c.CreatedAt},
		instant{&c.UpdatedAt}, &c.CreatedBy, &c.UpdatedBy, &c.Version, optInstant{&c.ErasedAt}, &c.OwnerName, &c.OwnerTeam}, extra...)...)
	if err != nil {
		return nil, err
	}
	c.Normalize()
	return c, nil
}

// findCustomer reads a customer, unmasked, without looking at scopes.
func findCustomer(ctx context.Context, tx *Tx, id int64) (*kewei.Customer, error) {
	return queryOne(ctx, tx, func(r scanner) (*kewei.Customer, error) { return scanCustomer(r) },
		kewei.Errorf(kewei.ENOTFOUND, "customer %d not found", id), customerSelect+` WHERE c.id = ?`, id)
}

// visibleCustomer reads a customer, unmasked, if the actor's scope covers
// it. One that exists outside the scope gives an outOfScope error, which the
// public method turns into an audited denial.
func visibleCustomer(ctx context.Context, tx *Tx, id int64) (*kewei.Customer, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCustomer(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !a.Covers(kewei.ObjectCustomers, c.OwnerID, c.OwnerTeam) {
		return nil, &outOfScope{objType: "customer", id: id, customerID: id}
	}
	return c, nil
}

// visibleOwner is visibleCustomer for a write that needs only to know the
// customer is in scope and whose it is: the customer it returns has its id,
// owner and owner's team, and nothing else.
func visibleOwner(ctx context.Context, tx *Tx, id int64) (*kewei.Customer, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c := &kewei.Customer{ID: id}
	found, err := tx.get(ctx, `SELECT COALESCE(c.owner_id, 0), COALESCE(u.team_id, 0)
		FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = ?`, []any{id}, &c.OwnerID, &c.OwnerTeam)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, kewei.Errorf(kewei.ENOTFOUND, "customer %d not found", id)
	}
	if !a.Covers(kewei.ObjectCustomers, c.OwnerID, c.OwnerTeam) {
		return nil, &outOfScope{objType: "customer", id: id, customerID: id}
	}
	return c, nil
}

// scanner is a row being read.
type scanner interface{ Scan(...any) error }

// queryOne reads the first row of a query with scan, or returns notFound.
func queryOne[T any](ctx context.Context, tx *Tx, scan func(scanner) (T, error), notFound error, q string, args ...any) (T, error) {
	var zero T
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return zero, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return zero, err
		}
		return zero, notFound
	}
	return scan(rows)
}

// cloneCustomer copies c deeply enough that applying a patch to the copy
// leaves c as it was.
func cloneCustomer(c *kewei.Customer) *kewei.Customer {
	n := *c
	n.Phones = slices.Clone(c.Phones)
	n.ImportantDates = slices.Clone(c.ImportantDates)
	n.Family = slices.Clone(c.Family)
	n.Tags = slices.Clone(c.Tags)
	n.Custom = maps.Clone(c.Custom)
	return &n
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// nullID stores id 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// optID scans NULL as 0.
type optID struct{ id *int64 }

func (o optID) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("sqlstore: read id: %w", err)
	}
	*o.id = n.Int64
	return nil
}
