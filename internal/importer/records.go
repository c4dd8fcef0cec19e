package importer

import (
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

func (c *cells) text(name string) string { return fold(c.get(name)) }

func (c *cells) date(name string) kewei.Date {
	v := c.get(name)
	if strings.TrimSpace(v) == "" {
		return kewei.Date{}
	}
	d, err := parseDate(v, c.p.loc)
	if err != nil {
		c.problem(name, kewei.ReasonInvalidFormat, err.Error())
	}
	return d
}

func (c *cells) money(name string) kewei.Money {
	v := c.get(name)
	if strings.TrimSpace(v) == "" {
		return 0
	}
	m, err := parseMoney(v)
	if err != nil {
		c.problem(name, kewei.ReasonInvalidFormat, err.Error())
	}
	return m
}

func (c *cells) pick(name string, names map[string]string) string {
	v := c.get(name)
	if strings.TrimSpace(v) == "" {
		return ""
	}
	if out, ok := choice(v, names); ok {
		return out
	}
	return strings.ToLower(fold(v)) // the record's Validate names what is allowed
}

func splitTags(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return strings.ContainsRune(",，、;；|", r) })
}

func (c *cells) phones() []kewei.Phone {
	var out []kewei.Phone
	for i, name := range []string{"phone", "phone2"} {
		if v := c.text(name); v != "" {
			label := "mobile"
			if i == 1 {
				label = "work"
			}
			out = append(out, kewei.Phone{Number: v, Label: label})
		}
	}
	return out
}

func (c *cells) customer() *kewei.Customer {
	cu := &kewei.Customer{Kind: kewei.CustomerKind(c.pick("kind", kinds)), Name: c.text("name"), ExternalID: c.text("external_id"),
		Phones: c.phones(), Email: c.text("email"), WeChat: c.text("wechat"), Company: c.text("company"),
		Industry: c.text("industry"), Occupation: c.text("occupation"), Gender: kewei.Gender(c.pick("gender", genders)),
		Province: c.text("province"), City: c.text("city"), District: c.text("district"), Address: c.text("address"),
		Source: kewei.Source(c.pick("source", sources)), Stage: kewei.Stage(c.pick("stage", stages)),
		Intent: kewei.Intent(strings.ToUpper(c.text("intent"))), Tier: kewei.Tier(strings.ToUpper(c.text("tier"))),
		Birthday: c.date("birthday"), Tags: splitTags(c.get("tags")), Preferences: c.text("preferences")}
	if v := c.get("marketing_consent"); v != "" {
		b, err := parseBool(v)
		if err != nil {
			c.problem("marketing_consent", kewei.ReasonInvalidFormat, err.Error())
		}
		cu.MarketingConsent = b
	}
	if len(c.p.m.Custom) > 0 {
		cu.Custom = map[string]any{}
		for key, i := range c.p.m.Custom {
			if i < len(c.row) && c.row[i] != "" {
				cu.Custom[key] = c.customValue(key, c.row[i])
			}
		}
		if err := c.p.defs.Check(cu.Custom); err != nil {
			for _, fe := range kewei.ErrorFields(err) {
				c.problem(fe.Field, fe.Reason, fe.Message)
			}
		}
	}
	return cu
}

// customValue reads a custom field's cell for its type: numbers and dates
// with the same policies as Kewei's own fields.
func (c *cells) customValue(key, v string) any {
	for _, f := range c.p.defs {
		if f.Key != key {
			continue
		}
		switch f.Type {
		case kewei.FieldNumber:
			if n, err := parseNumber(v); err == nil {
				return n
			}
		case kewei.FieldDate:
			if d, err := parseDate(v, c.p.loc); err == nil {
				return d.String()
			}
		}
	}
	return fold(v)
}

func (c *cells) contact() *kewei.Contact {
	return &kewei.Contact{Name: c.text("name"), Title: c.text("title"), Role: kewei.ContactRole(c.pick("role", roles)),
		Phones: c.phones(), Email: c.text("email"), WeChat: c.text("wechat"), Birthday: c.date("birthday"), Note: c.text("note")}
}

func (c *cells) holding() *kewei.Holding {
	status := c.text("status")
	switch status {
	case "持有", "有效", "正常":
		status = "active"
	case "结束", "已结束", "到期", "已卖出", "注销":
		status = "ended"
	}
	return &kewei.Holding{Product: c.text("product"), Category: c.text("category"), Serial: c.text("serial"),
		Value: c.money("value"), Status: kewei.HoldingStatus(strings.ToLower(status)), AcquiredOn: c.date("acquired_on"),
		FirstServiceDue: c.date("first_service_due"), RenewalDue: c.date("renewal_due"), Note: c.text("note")}
}

// transaction reads a purchase. Without an amount column the amount is
// quantity × unit price. A negative quantity is a cancellation: the amount
// is made negative too, a refund. Lines of one invoice get numbered
// (INV#1, INV#2 …) so each has its own external id.
func (c *cells) transaction() *kewei.Transaction {
	t := &kewei.Transaction{Product: c.text("product"), Channel: c.text("channel"), Region: c.text("region"), Note: c.text("note"), Quantity: 1}
	if v := c.get("date"); strings.TrimSpace(v) != "" {
		at, err := parseTime(v, c.p.loc)
		if err != nil {
			c.problem("date", kewei.ReasonInvalidFormat, err.Error())
		}
		t.OccurredAt = at
	}
	if v := c.get("quantity"); strings.TrimSpace(v) != "" {
		q, err := parseNumber(v)
		if err != nil {
			c.problem("quantity", kewei.ReasonInvalidFormat, err.Error())
		} else if q != 0 {
			t.Quantity = q
		}
	}
	_, hasAmount := c.p.m.Columns["amount"]
	switch {
	case hasAmount && c.get("amount") != "":
		t.Amount = c.money("amount")
	case c.get("unit_price") != "":
		price := c.money("unit_price")
		t.Amount = kewei.Money(float64(price) * t.Quantity)
	default:
		c.problem("amount", kewei.ReasonRequired, "an amount, or a quantity and a unit price, is needed")
	}
	if t.Quantity < 0 && t.Amount > 0 {
		t.Amount = -t.Amount
	}
	if v := c.get("profit"); strings.TrimSpace(v) != "" {
		p := c.money("profit")
		t.Profit = &p
	}
	if inv := c.text("external_id"); inv != "" {
		t.ExternalID = inv + "#" + strconv.Itoa(c.p.invoiceLine(inv))
	}
	return t
}

func (c *cells) interaction() *kewei.Interaction {
	in := &kewei.Interaction{Kind: kewei.InteractionKind(c.pick("kind", interactionKinds)), Summary: c.text("summary"),
		Outcome: c.text("outcome"), NextStep: c.text("next_step")}
	if in.Kind == "" {
		in.Kind = kewei.InteractionCall
	}
	if v := c.get("date"); strings.TrimSpace(v) != "" {
		at, err := parseTime(v, c.p.loc)
		if err != nil {
			c.problem("date", kewei.ReasonInvalidFormat, err.Error())
		}
		in.OccurredAt = at
	} else {
		c.problem("date", kewei.ReasonRequired, "says when the contact was")
	}
	return in
}

// product reads a catalogue entry: bought once or repeatedly (耐用 and
// 一次性 are once; 复购 and 消耗 repeat), its life cycle in months or in
// years, and whether it is still sold (yes when not said).
func (c *cells) product() *kewei.Product {
	p := &kewei.Product{Code: c.text("code"), Name: c.text("name"), Category: c.text("category"), Price: c.money("price"),
		Purchase: kewei.PurchaseKind(c.pick("purchase", purchases)), Note: c.text("note"), Active: true}
	for _, f := range []struct {
		name  string
		times float64
	}{{"life_months", 1}, {"life_years", 12}} {
		v := c.get(f.name)
		if strings.TrimSpace(v) == "" {
			continue
		}
		n, err := parseNumber(v)
		if err != nil {
			c.problem(f.name, kewei.ReasonInvalidFormat, err.Error())
			continue
		}
		p.LifeMonths = int(n*f.times + 0.5)
	}
	if v := c.get("active"); strings.TrimSpace(v) != "" {
		b, err := parseBool(v)
		if err != nil {
			c.problem("active", kewei.ReasonInvalidFormat, err.Error())
		}
		p.Active = b
	}
	return p
}
