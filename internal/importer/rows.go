package importer

import (
	"hash/maphash"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Problem is why a row, or one of its values, cannot be imported.
type Problem = kewei.ImportProblem

// Reasons beyond the API's field reasons.
const (
	ReasonDuplicateLine   = "duplicate_line"
	ReasonRepeatedLine    = "repeated_line" // a warning: the row is imported
	ReasonUnknownCustomer = "unknown_customer"
	ReasonUnknownUser     = "unknown_user"
	ReasonAlreadyImported = "already_imported"
	ReasonUnreadable      = "unreadable"
)

// Row is one line of the file turned into a record.
type Row struct {
	Line        int
	Customer    *kewei.Customer
	Contact     *kewei.Contact
	Holding     *kewei.Holding
	Transaction *kewei.Transaction
	Interaction *kewei.Interaction
	Product     *kewei.Product
	// CustomerRef is the customer's number in the file, for the records of
	// a customer.
	CustomerRef string
	// Person is a customer's owner or an interaction's user, by sign-in or
	// display name; the caller resolves it.
	Person string
}

// dupWindow bounds the memory of duplicate detection: an exact repeat of a
// line is found within this many lines of it.
const dupWindow = 1 << 20

// Parser turns rows into records.
type Parser struct {
	m        *Mapping
	loc      *time.Location
	defs     kewei.CustomFieldSet
	seed     maphash.Seed
	seen     map[uint64]int32 // hash of a row → its line
	ring     []uint64
	invoices map[uint64]uint32 // lines seen per invoice (by hash), for line numbers within it
	invRing  []uint64
}

// NewParser returns a parser for files mapped by m; dates without a zone
// are read in loc; defs are the custom fields.
func NewParser(m *Mapping, loc *time.Location, defs kewei.CustomFieldSet) *Parser {
	return &Parser{m: m, loc: loc, defs: defs, seed: maphash.MakeSeed(), seen: map[uint64]int32{}, invoices: map[uint64]uint32{}}
}

// cells reads one row's mapped values.
type cells struct {
	p     *Parser
	row   []string
	line  int
	probs []Problem
}

func (c *cells) get(name string) string {
	i, ok := c.p.m.Columns[name]
	if !ok || i >= len(c.row) {
		return ""
	}
	return unsafeCell(c.row[i])
}

// unsafeCell removes the apostrophe an export puts before text that a
// spreadsheet would take for a formula, so exported files import again.
func unsafeCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

func (c *cells) problem(name, reason, msg string) {
	col := name
	if i, ok := c.p.m.Columns[name]; ok && i < len(c.p.m.Headers) {
		col = c.p.m.Headers[i]
	}
	c.probs = append(c.probs, Problem{Line: c.line, Column: col, Value: c.get(name), Reason: reason, Message: msg})
}

// Parse turns one row into a record, or into the problems that stop it. An
// exact repeat of an earlier line is dropped, except for a transaction
// without an order number: two equal purchases on one day are common, so it
// is imported with a warning.
func (p *Parser) Parse(line int, row []string) (*Row, []Problem) {
	c := &cells{p: p, row: row, line: line}
	first, dup := p.duplicate(row, line)
	if dup && (p.m.Kind != Transactions || c.get("external_id") != "") {
		return nil, []Problem{{Line: line, Reason: ReasonDuplicateLine,
			Message: "repeats line " + strconv.Itoa(first) + " exactly; imported once"}}
	}
	r := &Row{Line: line}
	var err error
	switch p.m.Kind {
	case Customers:
		r.Customer, r.Person = c.customer(), fold(c.get("owner"))
		err = r.Customer.Validate()
	case Contacts:
		r.CustomerRef, r.Contact = fold(c.get("customer")), c.contact()
		err = r.Contact.Validate()
	case Holdings:
		r.CustomerRef, r.Holding = fold(c.get("customer")), c.holding()
		err = r.Holding.Validate()
	case Transactions:
		r.CustomerRef, r.Transaction = fold(c.get("customer")), c.transaction()
		err = r.Transaction.Validate()
	case Interactions:
		r.CustomerRef, r.Interaction, r.Person = fold(c.get("customer")), c.interaction(), fold(c.get("user"))
		err = r.Interaction.Validate()
	case Products:
		r.Product = c.product()
		err = r.Product.Validate()
	}
	for _, fe := range kewei.ErrorFields(err) {
		c.problem(columnOf(fe.Field), fe.Reason, fe.Message)
	}
	if p.m.Kind != Customers && p.m.Kind != Products && r.CustomerRef == "" {
		c.problem("customer", kewei.ReasonRequired, "says whose record it is; rows without a customer are skipped")
	}
	if len(c.probs) > 0 {
		return nil, dedupeProblems(c.probs)
	}
	if dup {
		return r, []Problem{{Line: line, Reason: ReasonRepeatedLine,
			Message: "repeats line " + strconv.Itoa(first) + " exactly; without an order number it is taken as a second, equal purchase"}}
	}
	return r, nil
}

// columnOf maps a record's field to the import field that fills it.
func columnOf(field string) string {
	switch {
	case strings.HasPrefix(field, "phones[0]"):
		return "phone"
	case strings.HasPrefix(field, "phones["):
		return "phone2"
	case field == "occurred_at":
		return "date"
	case strings.HasPrefix(field, "custom."):
		return field
	}
	if i := strings.IndexAny(field, "[."); i > 0 {
		return field[:i]
	}
	return field
}

// dedupeProblems keeps the first problem of each column: an unreadable
// date need not also be reported missing.
func dedupeProblems(ps []Problem) []Problem {
	var out []Problem
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Column] {
			seen[p.Column] = true
			out = append(out, p)
		}
	}
	return out
}

func (p *Parser) hash(row []string) uint64 {
	var h maphash.Hash
	h.SetSeed(p.seed)
	for _, v := range row {
		h.WriteString(v)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// Key hashes a value, for sets too large to hold as strings.
func (p *Parser) Key(s string) uint64 { return maphash.String(p.seed, s) }

// invoiceLine returns the number of this line within its invoice. The
// count of an invoice is kept while it is among the last dupWindow
// invoices seen, so memory stays bounded; exports list an invoice's lines
// together, or at least close.
func (p *Parser) invoiceLine(inv string) int {
	h := p.Key(inv)
	n, ok := p.invoices[h]
	if !ok {
		if len(p.invRing) == dupWindow {
			delete(p.invoices, p.invRing[0])
			p.invRing = p.invRing[1:]
		}
		p.invRing = append(p.invRing, h)
	}
	p.invoices[h] = n + 1
	return int(n + 1)
}

// duplicate reports whether row repeats a line seen within dupWindow lines,
// and which; it remembers the row otherwise.
func (p *Parser) duplicate(row []string, line int) (int, bool) {
	h := p.hash(row)
	if first, ok := p.seen[h]; ok {
		return int(first), true
	}
	if len(p.ring) == dupWindow {
		delete(p.seen, p.ring[0])
		p.ring = p.ring[1:]
	}
	p.ring = append(p.ring, h)
	p.seen[h] = int32(line)
	return 0, false
}
