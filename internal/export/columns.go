// Package export writes lists of customers as CSV, XLSX and vCard. The
// CSV and XLSX headers are the import's column names, so an exported file
// can be edited and imported again.
package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/importer"
)

// Translator names things in the reader's language.
type Translator interface {
	T(key string, args ...any) string
	Has(key string) bool
}

// column is one column of a customer export.
type column struct {
	header string
	value  func(c *kewei.Customer) string
}

// columns returns the export's columns in the reader's language: the
// import's fields in the import's order, then read-only ones, then the
// custom fields.
func columns(t Translator, locale string, defs kewei.CustomFieldSet, loc *time.Location) []column {
	label := func(prefix, v string) string {
		if v == "" {
			return ""
		}
		if t.Has(prefix + v) {
			return t.T(prefix + v)
		}
		return v
	}
	phone := func(c *kewei.Customer, i int) string {
		if i < len(c.Phones) {
			return c.Phones[i].Number
		}
		return ""
	}
	values := map[string]func(c *kewei.Customer) string{
		"external_id": func(c *kewei.Customer) string { return c.ExternalID },
		"name":        func(c *kewei.Customer) string { return c.Name },
		"phone":       func(c *kewei.Customer) string { return phone(c, 0) },
		"phone2":      func(c *kewei.Customer) string { return phone(c, 1) },
		"email":       func(c *kewei.Customer) string { return c.Email },
		"wechat":      func(c *kewei.Customer) string { return c.WeChat },
		"kind":        func(c *kewei.Customer) string { return label("kind.", string(c.Kind)) },
		"company":     func(c *kewei.Customer) string { return c.Company },
		"industry":    func(c *kewei.Customer) string { return c.Industry },
		"occupation":  func(c *kewei.Customer) string { return c.Occupation },
		"gender":      func(c *kewei.Customer) string { return label("gender.", string(c.Gender)) },
		"province":    func(c *kewei.Customer) string { return c.Province },
		"city":        func(c *kewei.Customer) string { return c.City },
		"district":    func(c *kewei.Customer) string { return c.District },
		"address":     func(c *kewei.Customer) string { return c.Address },
		"source":      func(c *kewei.Customer) string { return label("source.", string(c.Source)) },
		"owner":       func(c *kewei.Customer) string { return c.OwnerName },
		"stage":       func(c *kewei.Customer) string { return label("stage.", string(c.Stage)) },
		"intent":      func(c *kewei.Customer) string { return string(c.Intent) },
		"tier":        func(c *kewei.Customer) string { return string(c.Tier) },
		"birthday":    func(c *kewei.Customer) string { return c.Birthday.String() },
		"tags":        func(c *kewei.Customer) string { return strings.Join(c.Tags, ",") },
		"preferences": func(c *kewei.Customer) string { return c.Preferences },
		"marketing_consent": func(c *kewei.Customer) string {
			if c.MarketingConsent {
				return t.T("export.yes")
			}
			return t.T("export.no")
		},
	}
	var cols []column
	for i, name := range importer.Fields(importer.Customers) {
		cols = append(cols, column{header: importer.Template(importer.Customers, locale)[i], value: values[name]})
	}
	when := func(tm *time.Time) string {
		if tm == nil || tm.IsZero() {
			return ""
		}
		return tm.In(loc).Format("2006-01-02 15:04")
	}
	cols = append(cols,
		column{t.T("field.last_contact_at"), func(c *kewei.Customer) string { return when(c.LastContactAt) }},
		column{t.T("export.created_at"), func(c *kewei.Customer) string { return when(&c.CreatedAt) }})
	for _, d := range defs {
		key, head := d.Key, d.LabelZH
		if locale == "en" && d.LabelEN != "" {
			head = d.LabelEN
		}
		cols = append(cols, column{head, func(c *kewei.Customer) string {
			if v, ok := c.Custom[key]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}})
	}
	return cols
}
