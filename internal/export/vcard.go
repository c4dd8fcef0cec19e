package export

import (
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kewei-crm/kewei"
)

// vcardWriter writes vCard 3.0: a card for each individual customer and for
// each contact of a company, so the people land in a phone's address book.
// Fields the reader sees masked are left out rather than written half
// hidden.
type vcardWriter struct{ w io.Writer }

func (v *vcardWriter) Write(c *kewei.Customer, contacts []*kewei.Contact) error {
	if c.Kind != kewei.KindCompany {
		var b card
		b.line("FN", c.Name)
		b.line("N", escape(c.Name)+";;;;")
		if !slices.Contains(c.Masked, "phones") {
			for _, p := range c.Phones {
				b.line("TEL;TYPE="+phoneType(p.Label), p.Number)
			}
		}
		if c.Email != "" && !slices.Contains(c.Masked, "email") {
			b.line("EMAIL;TYPE=INTERNET", c.Email)
		}
		if c.Company != "" {
			b.line("ORG", c.Company)
		}
		if c.Occupation != "" {
			b.line("TITLE", c.Occupation)
		}
		if !slices.Contains(c.Masked, "address") && (c.Province != "" || c.Address != "") {
			b.raw("ADR;TYPE=HOME", ";;"+escape(c.Address)+";"+escape(c.City)+";"+escape(c.Province)+";;")
		}
		if !c.Birthday.IsZero() && !slices.Contains(c.Masked, "birthday") {
			b.line("BDAY", c.Birthday.String())
		}
		if len(c.Tags) > 0 {
			parts := make([]string, len(c.Tags))
			for i, t := range c.Tags {
				parts[i] = escape(t)
			}
			b.raw("CATEGORIES", strings.Join(parts, ","))
		}
		if c.ExternalID != "" {
			b.line("NOTE", c.ExternalID)
		}
		if _, err := io.WriteString(v.w, b.String()); err != nil {
			return err
		}
	}
	for _, ct := range contacts {
		var b card
		b.line("FN", ct.Name)
		b.line("N", escape(ct.Name)+";;;;")
		b.line("ORG", c.Name)
		if ct.Title != "" {
			b.line("TITLE", ct.Title)
		}
		if !ct.Masked {
			for _, p := range ct.Phones {
				b.line("TEL;TYPE="+phoneType(p.Label), p.Number)
			}
			if ct.Email != "" {
				b.line("EMAIL;TYPE=INTERNET", ct.Email)
			}
			if !ct.Birthday.IsZero() {
				b.line("BDAY", ct.Birthday.String())
			}
		}
		if ct.Note != "" {
			b.line("NOTE", ct.Note)
		}
		if _, err := io.WriteString(v.w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func (v *vcardWriter) Close() error { return nil }

func phoneType(label string) string {
	switch label {
	case "work":
		return "WORK"
	case "home":
		return "HOME"
	}
	return "CELL"
}

// card builds one vCard.
type card struct{ strings.Builder }

func (b *card) line(name, value string) { b.raw(name, escape(value)) }

// raw writes a property whose value is already escaped, folded at 75
// bytes without splitting a character (RFC 6350 §3.2).
func (b *card) raw(name, value string) {
	if b.Len() == 0 {
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n")
	}
	s, limit := name+":"+value, 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut] + "\r\n ")
		s, limit = s[cut:], 74 // a continuation line starts with a space
	}
	b.WriteString(s + "\r\n")
}

func (b *card) String() string { return b.Builder.String() + "END:VCARD\r\n" }

// escape escapes a text value: backslash, comma, semicolon and newlines.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}
