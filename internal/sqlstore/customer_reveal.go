package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// RevealCustomerField returns one personal field of a customer the actor may
// see, unmasked, and audits the reveal.
func (s *CustomerService) RevealCustomerField(ctx context.Context, id int64, field string) (any, error) {
	var value any
	err := s.db.readTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		defs, err := findCustomFields(ctx, tx)
		if err != nil {
			return err
		}
		value, err = personalField(c, defs, field)
		return err
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return value, s.db.auditAlone(ctx, kewei.ActionReveal, "customer", id, id, map[string]string{"field": field})
}

// personalField returns the value of one masked field.
func personalField(c *kewei.Customer, defs kewei.CustomFieldSet, field string) (any, error) {
	switch field {
	case "phones":
		return c.Phones, nil
	case "email":
		return c.Email, nil
	case "wechat":
		return c.WeChat, nil
	case "address":
		return c.Address, nil
	case "birthday":
		return c.Birthday, nil
	case "family":
		return c.Family, nil
	}
	if key, ok := strings.CutPrefix(field, "custom."); ok {
		if i := slices.IndexFunc(defs, func(f *kewei.CustomField) bool { return f.Key == key && f.Sensitive }); i >= 0 {
			return c.Custom[key], nil
		}
	}
	var p kewei.Problems
	p.Add("field", kewei.ReasonUnknownChoice, "must be one of %s, or custom.KEY of a sensitive custom field", strings.Join(kewei.PIIFields, ", "))
	return nil, p.Err()
}

// keepMasked lets a patch carry masked fields back exactly as they were
// shown (clients send whole objects), and refuses any change to them.
func keepMasked(p *kewei.Patch, old *kewei.Customer, defs kewei.CustomFieldSet) error {
	shown := cloneCustomer(old)
	shown.Mask(defs)
	shownJSON, _ := json.Marshal(shown)
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(shownJSON, &fields)
	var probs kewei.Problems
	for _, f := range kewei.PIIFields {
		raw, ok := p.Fields[f]
		if !ok {
			continue
		}
		if sameJSON(raw, fields[f]) {
			delete(p.Fields, f)
			continue
		}
		probs.Add(f, kewei.ReasonOutOfRange, "is hidden from you and cannot be changed")
	}
	if raw, ok := p.Fields["custom"]; ok {
		var custom map[string]json.RawMessage
		_ = json.Unmarshal(raw, &custom)
		for _, d := range defs {
			if v, ok := custom[d.Key]; ok && d.Sensitive {
				if !sameJSON(v, json.RawMessage(`"***"`)) {
					probs.Add("custom."+d.Key, kewei.ReasonOutOfRange, "is hidden from you and cannot be changed")
				}
				delete(custom, d.Key)
			}
		}
		p.Fields["custom"], _ = json.Marshal(custom)
	}
	if len(probs) > 0 {
		return &kewei.Error{Code: kewei.EFORBIDDEN, Message: probs[0].Field + ": is hidden from you and cannot be changed", Fields: probs}
	}
	return nil
}

// sameJSON compares two JSON values by content.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// keepMaskedRecord does for a record (a contact, a holding) what keepMasked
// does for a customer: the fields its Mask hides may come back as shown,
// and may not change.
func keepMaskedRecord[T any](p *kewei.Patch, old *T) error {
	shown := *old
	m, ok := any(&shown).(interface{ Mask() })
	if !ok {
		return nil
	}
	m.Mask()
	var was, seen map[string]json.RawMessage
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(&shown)
	_ = json.Unmarshal(a, &was)
	_ = json.Unmarshal(b, &seen)
	var probs kewei.Problems
	for f, raw := range p.Fields {
		if f == "masked" || sameJSON(was[f], seen[f]) {
			continue
		}
		if sameJSON(raw, seen[f]) {
			delete(p.Fields, f)
			continue
		}
		probs.Add(f, kewei.ReasonOutOfRange, "is hidden from you and cannot be changed")
	}
	if len(probs) > 0 {
		return &kewei.Error{Code: kewei.EFORBIDDEN, Message: probs[0].Field + ": is hidden from you and cannot be changed", Fields: probs}
	}
	return nil
}
