package kewei

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldType is the type of a custom field's values.
type FieldType string

// Custom field types.
const (
	FieldText   FieldType = "text"
	FieldNumber FieldType = "number"
	FieldDate   FieldType = "date"
	FieldChoice FieldType = "choice"
)

// FieldTypes lists every type.
var FieldTypes = []FieldType{FieldText, FieldNumber, FieldDate, FieldChoice}

// Enum lists the allowed values.
func (FieldType) Enum() []string { return enumStrings(FieldTypes) }

// CustomField is a field an administrator adds to every customer.
type CustomField struct {
	ID        int64     `json:"id" kewei:"readonly"`
	Key       string    `json:"key" doc:"Lowercase letters, digits and _; the name in customers' custom object. Cannot change."`
	LabelZH   string    `json:"label_zh"`
	LabelEN   string    `json:"label_en"`
	Type      FieldType `json:"type" doc:"text, number, date or choice. Cannot change."`
	Choices   []string  `json:"choices" doc:"The allowed values of a choice field."`
	Required  bool      `json:"required"`
	Sensitive bool      `json:"sensitive" doc:"Masked for users without the right to see personal data."`
	Position  int       `json:"position" doc:"Order on forms, smallest first."`
	CreatedAt time.Time `json:"created_at" kewei:"readonly"`
	UpdatedAt time.Time `json:"updated_at" kewei:"readonly"`
	Version   int       `json:"version" kewei:"readonly"`
}

var fieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate names every bad attribute of the definition.
func (f *CustomField) Validate() error {
	var p Problems
	if !fieldKeyRE.MatchString(f.Key) {
		p.Add("key", ReasonInvalidFormat, "must start with a-z and hold only a-z, 0-9 and _ (at most 40)")
	}
	p.checkText("label_zh", &f.LabelZH, true, 50)
	p.checkText("label_en", &f.LabelEN, false, 50)
	checkEnum(&p, "type", f.Type, FieldTypes, true)
	f.Choices = normalizeTags(f.Choices)
	if f.Type == FieldChoice && len(f.Choices) == 0 {
		p.Add("choices", ReasonRequired, "a choice field needs at least one choice")
	}
	if f.Type != FieldChoice && len(f.Choices) > 0 {
		p.Add("choices", ReasonOutOfRange, "only choice fields have choices")
	}
	if len(f.Choices) > 100 {
		p.Add("choices", ReasonTooLong, "at most 100 choices")
	}
	return p.Err()
}

// Label returns the field's label in the language of locale.
func (f *CustomField) Label(locale string) string {
	if strings.HasPrefix(locale, "en") && f.LabelEN != "" {
		return f.LabelEN
	}
	return f.LabelZH
}

// CustomFieldSet is every custom field, for validating customers' values.
type CustomFieldSet []*CustomField

// Check validates and normalizes values in place: unknown keys, wrong types,
// choices not offered and missing required values are all reported.
func (s CustomFieldSet) Check(values map[string]any) error {
	var p Problems
	byKey := map[string]*CustomField{}
	for _, f := range s {
		byKey[f.Key] = f
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f, ok := byKey[k]
		field := "custom." + k
		if !ok {
			p.Add(field, ReasonUnknownField, "there is no custom field %q", k)
			continue
		}
		v, err := f.normalize(values[k])
		if err != nil {
			p.Add(field, ReasonInvalidFormat, "%s", err)
			continue
		}
		if v == nil {
			delete(values, k)
			continue
		}
		values[k] = v
	}
	for _, f := range s {
		if _, ok := values[f.Key]; f.Required && !ok {
			p.Add("custom."+f.Key, ReasonRequired, "is required")
		}
	}
	return p.Err()
}

// normalize returns the stored form of v, or nil for "no value".
func (f *CustomField) normalize(v any) (any, error) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		v = s
	}
	switch f.Type {
	case FieldText:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("must be text")
		}
		if utf8.RuneCountInString(s) > 1000 {
			return nil, fmt.Errorf("must be at most 1000 characters")
		}
		return s, nil
	case FieldNumber:
		return toNumber(v)
	case FieldDate:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("must be a date in the form YYYY-MM-DD")
		}
		d, err := ParseDate(s)
		if err != nil {
			return nil, err
		}
		return d.String(), nil
	case FieldChoice:
		s, ok := v.(string)
		if !ok || !slices.Contains(f.Choices, s) {
			return nil, fmt.Errorf("must be one of %s", strings.Join(f.Choices, ", "))
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown field type %q", f.Type)
}

func toNumber(v any) (any, error) {
	var n float64
	switch x := v.(type) {
	case float64:
		n = x
	case int:
		n = float64(x)
	case int64:
		n = float64(x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("must be a number")
		}
		n = f
	default:
		return nil, fmt.Errorf("must be a number")
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, fmt.Errorf("must be a finite number")
	}
	return n, nil
}

// CustomFieldService keeps the custom field definitions.
type CustomFieldService interface {
	// FindCustomFields returns every definition, in form order.
	FindCustomFields(ctx context.Context) (CustomFieldSet, error)
	// CreateCustomField adds a definition (administrators only).
	CreateCustomField(ctx context.Context, f *CustomField) error
	// UpdateCustomField changes labels, choices, flags and position.
	UpdateCustomField(ctx context.Context, id int64, p Patch) (*CustomField, error)
	// DeleteCustomField removes a definition; customers' values stay stored
	// but are no longer shown or validated.
	DeleteCustomField(ctx context.Context, id int64, version int) error
}
