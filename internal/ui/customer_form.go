package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// input is one field of a form.
type input struct {
	Name, Label, Type, Hint string
	Required, Wide          bool
	Options                 []option
}

type option struct{ Value, Label string }

type formPage struct {
	Inputs []input
	Cancel string
}

// customerInputs lists the customer form's fields in the page's language.
func (s *Server) customerInputs(r *http.Request, p *page) ([]input, error) {
	ctx := r.Context()
	l := p.L
	enum := func(prefix string, values []string) []option {
		out := make([]option, len(values))
		for i, v := range values {
			out[i] = option{v, l.T(prefix + "." + v)}
		}
		return out
	}
	in := []input{
		{Name: "kind", Label: l.T("field.kind_customer"), Options: enum("kind", enumOf(kewei.CustomerKinds)), Required: true},
		{Name: "name", Label: l.T("field.name"), Type: "text", Required: true},
		{Name: "phone1", Label: l.T("field.phone") + " 1", Type: "tel", Hint: "138 0000 0000"},
		{Name: "phone2", Label: l.T("field.phone") + " 2", Type: "tel"},
		{Name: "email", Label: l.T("field.email"), Type: "email"},
		{Name: "wechat", Label: l.T("field.wechat"), Type: "text"},
		{Name: "stage", Label: l.T("field.stage"), Options: enum("stage", enumOf(kewei.Stages)), Required: true},
		{Name: "intent", Label: l.T("field.intent"), Options: enum("intent", enumOf(kewei.Intents))},
		{Name: "source", Label: l.T("field.source"), Options: enum("source", enumOf(kewei.Sources))},
		{Name: "gender", Label: l.T("field.gender"), Options: enum("gender", enumOf(kewei.Genders))},
		{Name: "age_band", Label: l.T("field.age_band"), Options: enum("age_band", enumOf(kewei.AgeBands))},
		{Name: "birthday", Label: l.T("field.birthday"), Type: "date"},
		{Name: "province", Label: l.T("field.province"), Type: "text", Hint: l.T("hint.province")},
		{Name: "city", Label: l.T("field.city"), Type: "text"},
		{Name: "district", Label: l.T("field.district"), Type: "text"},
		{Name: "address", Label: l.T("field.address"), Type: "text", Wide: true},
		{Name: "company", Label: l.T("field.company"), Type: "text"},
		{Name: "industry", Label: l.T("field.industry"), Type: "text"},
		{Name: "occupation", Label: l.T("field.occupation"), Type: "text"},
		{Name: "tags", Label: l.T("field.tags"), Type: "text", Hint: l.T("hint.tags")},
		{Name: "preferences", Label: l.T("field.preferences"), Type: "textarea", Wide: true},
		{Name: "marketing_consent", Label: l.T("field.marketing_consent"), Type: "checkbox"},
	}
	if p.IsAdmin || p.Actor.ScopeOf(kewei.ObjectCustomers) != kewei.ScopeOwn {
		users, err := s.svc.Users.FindUsers(ctx, kewei.UserFilter{})
		if err != nil {
			return nil, err
		}
		owners := []option{}
		for _, u := range users {
			if u.Role == kewei.RoleConsultant || u.Role == kewei.RoleManager {
				owners = append(owners, option{itoa(u.ID), u.DisplayName})
			}
		}
		in = append(in, input{Name: "owner_id", Label: l.T("field.owner"), Options: owners})
	}
	defs, err := s.svc.CustomFields.FindCustomFields(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range defs {
		it := input{Name: "custom." + f.Key, Label: f.Label(l.Locale), Type: "text", Required: f.Required}
		switch f.Type {
		case kewei.FieldNumber:
			it.Type = "number"
		case kewei.FieldDate:
			it.Type = "date"
		case kewei.FieldChoice:
			for _, c := range f.Choices {
				it.Options = append(it.Options, option{c, c})
			}
		}
		in = append(in, it)
	}
	return in, nil
}

// customerValues turns a customer into the form's values.
func customerValues(c *kewei.Customer) url.Values {
	v := url.Values{}
	b, _ := json.Marshal(c)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"kind", "name", "email", "wechat", "stage", "intent", "source", "gender", "age_band",
		"province", "city", "district", "address", "company", "industry", "occupation", "preferences"} {
		if s, ok := m[k].(string); ok {
			v.Set(k, s)
		}
	}
	for i, ph := range c.Phones {
		if i < 2 {
			v.Set("phone"+strconv.Itoa(i+1), ph.Number)
		}
	}
	v.Set("birthday", c.Birthday.String())
	v.Set("tags", strings.Join(c.Tags, ", "))
	v.Set("marketing_consent", strconv.FormatBool(c.MarketingConsent))
	v.Set("owner_id", itoa(c.OwnerID))
	v.Set("version", strconv.Itoa(c.Version))
	for k, x := range c.Custom {
		v.Set("custom."+k, strings.Trim(mustJSON(x), `"`))
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// customerFields reads the form into JSON fields, as a patch carries them.
func customerFields(form url.Values, masked []string) map[string]any {
	m := map[string]any{}
	for _, k := range []string{"kind", "name", "email", "wechat", "stage", "intent", "source", "gender", "age_band",
		"province", "city", "district", "address", "company", "industry", "occupation", "preferences"} {
		m[k] = strings.TrimSpace(form.Get(k))
	}
	phones := []kewei.Phone{}
	for _, k := range []string{"phone1", "phone2"} {
		if n := strings.TrimSpace(form.Get(k)); n != "" {
			phones = append(phones, kewei.Phone{Number: n, Label: "mobile"})
		}
	}
	if !contains(masked, "phones") || len(phones) > 0 {
		m["phones"] = phones
	}
	m["tags"] = splitList(form.Get("tags"))
	if b := form.Get("birthday"); b != "" {
		m["birthday"] = b
	} else {
		m["birthday"] = nil
	}
	m["marketing_consent"] = form.Get("marketing_consent") == "true"
	if o := form.Get("owner_id"); o != "" {
		id, _ := strconv.ParseInt(o, 10, 64)
		m["owner_id"] = id
	}
	custom := map[string]any{}
	for k := range form {
		if key, ok := strings.CutPrefix(k, "custom."); ok {
			val := strings.TrimSpace(form.Get(k))
			if n, err := strconv.ParseFloat(val, 64); err == nil && val != "" {
				custom[key] = n
			} else if val == "" {
				custom[key] = nil
			} else {
				custom[key] = val
			}
		}
	}
	m["custom"] = custom
	for _, f := range masked {
		if f == "birthday" || f == "family" {
			delete(m, f) // shown empty to this viewer: never clear it from here
		}
	}
	return m
}
