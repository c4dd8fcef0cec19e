package kewei

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkText trims *s and records a problem when it is required and empty or
// longer than max characters.
func (p *Problems) checkText(field string, s *string, required bool, max int) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		p.Add(field, ReasonRequired, "is required")
	case utf8.RuneCountInString(*s) > max:
		p.Add(field, ReasonTooLong, "must be at most %d characters", max)
	case !utf8.ValidString(*s):
		p.Add(field, ReasonInvalidFormat, "is not valid UTF-8 text")
	}
}

// checkEnum records a problem when v is set and not one of allowed (or unset
// and required).
func checkEnum[T ~string](p *Problems, field string, v T, allowed []T, required bool) {
	if v == "" {
		if required {
			p.Add(field, ReasonRequired, "is required")
		}
		return
	}
	if !contains(allowed, v) {
		p.Add(field, ReasonUnknownChoice, "must be one of %s", strings.Join(enumStrings(allowed), ", "))
	}
}

// checkPhones normalizes every number in place.
func (p *Problems) checkPhones(field string, phones []Phone) {
	if len(phones) > 10 {
		p.Add(field, ReasonTooLong, "at most 10 phone numbers")
	}
	for i := range phones {
		f := fmt.Sprintf("%s[%d]", field, i)
		n, ok := NormalizePhone(phones[i].Number)
		if !ok {
			p.Add(f+".number", ReasonInvalidFormat, "%q is not a phone number", phones[i].Number)
		}
		phones[i].Number = n
		if phones[i].Label == "" {
			phones[i].Label = "mobile"
		}
		checkEnum(p, f+".label", phones[i].Label, PhoneLabels, false)
	}
}

// checkEmail lowercases and checks an address.
func (p *Problems) checkEmail(field string, s *string) {
	*s = strings.ToLower(strings.TrimSpace(*s))
	if *s == "" {
		return
	}
	local, domain, ok := strings.Cut(*s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(*s, " \t\r\n,;<>") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || len(*s) > 254 {
		p.Add(field, ReasonInvalidFormat, "%q is not an email address", *s)
	}
}

// checkDate rejects dates before 1900 and far in the future.
func (p *Problems) checkDate(field string, d Date) {
	if !d.IsZero() && (d.Year < 1900 || d.Year > 2200) {
		p.Add(field, ReasonOutOfRange, "year %d is out of range", d.Year)
	}
}
