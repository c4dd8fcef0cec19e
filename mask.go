package kewei

import (
	"strings"
	"unicode/utf8"
)

// Personal data is masked for anyone whose pii scope does not cover the
// customer: they see 138****1234, z***@qq.com. An explicit, audited reveal
// shows one field of one customer.

// PIIFields are the customer fields that are masked, by JSON name.
var PIIFields = []string{"phones", "email", "wechat", "address", "birthday", "family"}

// MaskEmail keeps the first letter and the domain: z***@qq.com.
func MaskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" {
		return MaskText(s)
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}

// MaskText keeps the first character: 王***.
func MaskText(s string) string {
	if s == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s)
	return string(r) + "***"
}

// MaskTail keeps the last four characters: ****1234.
func MaskTail(s string) string {
	if n := utf8.RuneCountInString(s); n > 4 {
		return "****" + string([]rune(s)[n-4:])
	}
	return strings.Repeat("*", utf8.RuneCountInString(s))
}

func maskPhones(phones []Phone) []Phone {
	out := make([]Phone, len(phones))
	for i, p := range phones {
		out[i] = Phone{Number: MaskPhone(p.Number), Label: p.Label}
	}
	return out
}

// Mask hides the customer's personal data and sensitive custom fields, and
// lists in Masked the fields it hid that had a value.
func (c *Customer) Mask(defs CustomFieldSet) {
	c.Masked = []string{}
	for _, f := range []struct {
		name string
		set  bool
	}{{"phones", len(c.Phones) > 0}, {"email", c.Email != ""}, {"wechat", c.WeChat != ""}, {"address", c.Address != ""},
		{"birthday", !c.Birthday.IsZero()}, {"family", len(c.Family) > 0}} {
		if f.set {
			c.Masked = append(c.Masked, f.name)
		}
	}
	c.Phones = maskPhones(c.Phones)
	c.Email = MaskEmail(c.Email)
	c.WeChat = MaskText(c.WeChat)
	c.Address = MaskText(c.Address)
	c.Birthday = Date{}
	for i := range c.Family {
		c.Family[i] = FamilyMember{Relation: c.Family[i].Relation, Name: MaskText(c.Family[i].Name)}
	}
	if len(c.Custom) > 0 {
		custom := make(map[string]any, len(c.Custom))
		for k, v := range c.Custom {
			custom[k] = v
		}
		for _, f := range defs {
			if _, ok := custom[f.Key]; ok && f.Sensitive {
				custom[f.Key] = "***"
				c.Masked = append(c.Masked, "custom."+f.Key)
			}
		}
		c.Custom = custom
	}
}

// Mask hides the contact's phones, email, WeChat id and birthday.
func (c *Contact) Mask() {
	c.Phones = maskPhones(c.Phones)
	c.Email = MaskEmail(c.Email)
	c.WeChat = MaskText(c.WeChat)
	c.Birthday = Date{}
	c.Masked = true
}

// Mask hides all but the last four characters of the serial (an account or
// card number).
func (h *Holding) Mask() {
	h.Serial = MaskTail(h.Serial)
	h.Masked = true
}
