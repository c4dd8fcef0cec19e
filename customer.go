package kewei

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Customer is one person or organisation in the archive (客户档案).
type Customer struct {
	ID         int64        `json:"id" kewei:"readonly"`
	Kind       CustomerKind `json:"kind" doc:"individual or company; individual when omitted."`
	Name       string       `json:"name" doc:"Full name, or the company's name."`
	NamePinyin string       `json:"name_pinyin" kewei:"readonly" doc:"The name in pinyin, for search and sorting."`
	ExternalID string       `json:"external_id" doc:"The customer's number in another system; unique when set."`
	Phones     []Phone      `json:"phones"`
	Email      string       `json:"email"`
	WeChat     string       `json:"wechat" doc:"WeChat id."`
	Company    string       `json:"company" doc:"Employer, or the parent organisation of a company."`
	Industry   string       `json:"industry"`
	Occupation string       `json:"occupation"`
	AgeBand    AgeBand      `json:"age_band"`
	Gender     Gender       `json:"gender"`
	Province   string       `json:"province"`
	City       string       `json:"city"`
	District   string       `json:"district"`
	Address    string       `json:"address"`
	Source     Source       `json:"source" doc:"How the customer first came to us."`
	OwnerID    int64        `json:"owner_id" doc:"The user who looks after the customer; 0 for nobody (the shared pool)."`
	OwnerName  string       `json:"owner_name" kewei:"readonly"`
	OwnerTeam  int64        `json:"owner_team_id" kewei:"readonly" doc:"The owner's team, 0 for none."`
	Stage      Stage        `json:"stage" doc:"prospect, customer or lost; prospect when omitted."`
	Intent     Intent       `json:"intent" doc:"A prospect's intent grade: H (buys within 7 days), A (15), B (30), C (3 months)."`
	Tier       Tier         `json:"tier" doc:"Value tier A–D, set by tiering."`
	Birthday   Date         `json:"birthday"`

	ImportantDates   []ImportantDate `json:"important_dates" doc:"Delivery, account opening, anniversary, contract end."`
	Family           []FamilyMember  `json:"family" doc:"Family members and their birthdays."`
	Preferences      string          `json:"preferences" doc:"Preferences and interests, in the consultant's words."`
	Tags             []string        `json:"tags"`
	Custom           map[string]any  `json:"custom" doc:"Values of the administrator's custom fields, by key."`
	MarketingConsent bool            `json:"marketing_consent"`

	Masked        []string   `json:"masked" kewei:"readonly" doc:"Fields hidden from you; POST /api/v1/customers/{id}/reveal shows one."`
	ErasedAt      *time.Time `json:"erased_at" kewei:"readonly" doc:"When the person was erased: the history stays, the identity is gone."`
	LastContactAt *time.Time `json:"last_contact_at" kewei:"readonly"`
	CreatedAt     time.Time  `json:"created_at" kewei:"readonly"`
	UpdatedAt     time.Time  `json:"updated_at" kewei:"readonly"`
	CreatedBy     int64      `json:"created_by" kewei:"readonly"`
	UpdatedBy     int64      `json:"updated_by" kewei:"readonly"`
	Version       int        `json:"version" kewei:"readonly" doc:"Increases by one on every change; send it back with an update."`
}

// Phone is one of a customer's or contact's numbers, normalized.
type Phone struct {
	Number string `json:"number" doc:"Digits only, with a leading + outside mainland China."`
	Label  string `json:"label" enum:"mobile,work,home,other"`
}

// ImportantDate is a date that drives reminders.
type ImportantDate struct {
	Kind string `json:"kind" enum:"delivery,account_opening,anniversary,contract_end,other"`
	Date Date   `json:"date"`
	Note string `json:"note,omitempty"`
}

// FamilyMember is a relative whose birthday is worth a greeting.
type FamilyMember struct {
	Relation string `json:"relation" doc:"Spouse, child, parent … in the consultant's words."`
	Name     string `json:"name"`
	Birthday Date   `json:"birthday"`
}

// Normalize fills defaults and cleans the customer's fields before
// validation.
func (c *Customer) Normalize() {
	if c.Kind == "" {
		c.Kind = KindIndividual
	}
	if c.Stage == "" {
		c.Stage = StageProspect
	}
	c.Tags = normalizeTags(c.Tags)
	if c.Phones == nil {
		c.Phones = []Phone{}
	}
	if c.ImportantDates == nil {
		c.ImportantDates = []ImportantDate{}
	}
	if c.Family == nil {
		c.Family = []FamilyMember{}
	}
	if c.Custom == nil {
		c.Custom = map[string]any{}
	}
	if c.Masked == nil {
		c.Masked = []string{}
	}
}

// Validate normalizes c and returns an EINVALID error naming every bad field.
// Custom values are checked against their definitions by
// CustomFieldSet.Check.
func (c *Customer) Validate() error {
	c.Normalize()
	var p Problems
	checkEnum(&p, "kind", c.Kind, CustomerKinds, true)
	p.checkText("name", &c.Name, true, 100)
	p.checkText("external_id", &c.ExternalID, false, 64)
	p.checkPhones("phones", c.Phones)
	p.checkEmail("email", &c.Email)
	p.checkText("wechat", &c.WeChat, false, 64)
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"company", &c.Company, 200}, {"industry", &c.Industry, 100}, {"occupation", &c.Occupation, 100},
		{"province", &c.Province, 50}, {"city", &c.City, 50}, {"district", &c.District, 50},
		{"address", &c.Address, 300}, {"preferences", &c.Preferences, 2000}} {
		p.checkText(f.name, f.v, false, f.max)
	}
	if c.City != "" && c.Province == "" {
		p.Add("province", ReasonRequired, "is required when a city is given")
	}
	checkEnum(&p, "age_band", c.AgeBand, AgeBands, false)
	checkEnum(&p, "gender", c.Gender, Genders, false)
	checkEnum(&p, "source", c.Source, Sources, false)
	checkEnum(&p, "stage", c.Stage, Stages, true)
	checkEnum(&p, "intent", c.Intent, Intents, false)
	checkEnum(&p, "tier", c.Tier, Tiers, false)
	if c.OwnerID < 0 {
		p.Add("owner_id", ReasonOutOfRange, "must be a user's id or 0")
	}
	p.checkDate("birthday", c.Birthday)
	for i := range c.ImportantDates {
		f := fmt.Sprintf("important_dates[%d]", i)
		checkEnum(&p, f+".kind", c.ImportantDates[i].Kind, DateKinds, true)
		if c.ImportantDates[i].Date.IsZero() {
			p.Add(f+".date", ReasonRequired, "is required")
		}
		p.checkDate(f+".date", c.ImportantDates[i].Date)
		p.checkText(f+".note", &c.ImportantDates[i].Note, false, 200)
	}
	for i := range c.Family {
		f := fmt.Sprintf("family[%d]", i)
		p.checkText(f+".relation", &c.Family[i].Relation, true, 30)
		p.checkText(f+".name", &c.Family[i].Name, false, 100)
		p.checkDate(f+".birthday", c.Family[i].Birthday)
	}
	if len(c.Tags) > 50 {
		p.Add("tags", ReasonTooLong, "at most 50 tags")
	}
	for i, t := range c.Tags {
		if len([]rune(t)) > 30 {
			p.Add(fmt.Sprintf("tags[%d]", i), ReasonTooLong, "must be at most 30 characters")
		}
	}
	return p.Err()
}

// PrimaryPhone returns the first number, or "".
func (c *Customer) PrimaryPhone() string {
	if len(c.Phones) == 0 {
		return ""
	}
	return c.Phones[0].Number
}

func normalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// CustomerFilter selects customers in a list. Zero fields do not filter.
type CustomerFilter struct {
	Query           string // name, pinyin, initials, phone, email or company
	OwnerID         *int64 // 0 selects customers in the shared pool
	Kind            CustomerKind
	Tiers           []Tier
	Stages          []Stage
	Intents         []Intent
	Sources         []Source
	Province        string
	City            string
	Tag             string
	CreatedFrom     time.Time // inclusive
	CreatedTo       time.Time // exclusive
	LastContactFrom time.Time // inclusive
	LastContactTo   time.Time // exclusive
	NeverContacted  bool

	Sort   string // one of CustomerSorts, "-" first for descending
	Cursor string
	Limit  int
}

// CustomerSorts lists the columns a customer list can be sorted by.
var CustomerSorts = []string{"created_at", "last_contact_at", "name"}

// CustomerService keeps the customer archive.
type CustomerService interface {
	// FindCustomerByID returns one customer, or ENOTFOUND.
	FindCustomerByID(ctx context.Context, id int64) (*Customer, error)
	// FindCustomers returns one page of customers matching f.
	FindCustomers(ctx context.Context, f CustomerFilter) (*List[*Customer], error)
	// CreateCustomer validates c, gives it an id and stores it.
	CreateCustomer(ctx context.Context, c *Customer) error
	// UpdateCustomer applies p to the customer if p.Version is current,
	// otherwise it fails with ECONFLICT.
	UpdateCustomer(ctx context.Context, id int64, p Patch) (*Customer, error)
	// DeleteCustomer removes a customer and everything recorded about it if
	// version is current.
	DeleteCustomer(ctx context.Context, id int64, version int) error
	// RevealCustomerField returns one personal field of one customer
	// unmasked, and audits that it did.
	RevealCustomerField(ctx context.Context, id int64, field string) (any, error)
	// ExportCustomers calls fn with every customer matching f (all pages,
	// oldest first), masked as the actor's scope requires, with their
	// contacts when opt.Contacts is set. It stops at fn's first error or
	// when ctx ends, and audits the export either way: who, the filter,
	// the format and how many customers went out.
	ExportCustomers(ctx context.Context, f CustomerFilter, opt ExportOptions, fn func(*Customer, []*Contact) error) (int, error)
}

// ExportOptions say what an export writes.
type ExportOptions struct {
	Format   string // csv, xlsx or vcf, for the audit log
	Contacts bool   // load each customer's contacts
}
