package kewei

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Patch is a partial update: the version the client last read and the fields
// it changes, as JSON. Fields left out keep their value; null clears a field;
// in a map (custom fields) null removes the key. It follows JSON Merge Patch
// (RFC 7396) with a required version for optimistic locking.
type Patch struct {
	Version int
	Fields  map[string]json.RawMessage
}

// UnmarshalJSON reads {"version": N, "field": value, …}.
func (p *Patch) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return Errorf(EINVALID, "the body must be a JSON object")
	}
	p.Fields = m
	raw, ok := m["version"]
	delete(m, "version")
	if !ok {
		return &Error{Code: EINVALID, Message: "version: is required",
			Fields: []FieldError{{Field: "version", Reason: ReasonRequired, Message: "send the version you last read"}}}
	}
	if err := json.Unmarshal(raw, &p.Version); err != nil || p.Version < 1 {
		return &Error{Code: EINVALID, Message: "version: must be a positive whole number",
			Fields: []FieldError{{Field: "version", Reason: ReasonInvalidFormat, Message: "must be a positive whole number"}}}
	}
	return nil
}

// MarshalJSON writes the patch as one object.
func (p Patch) MarshalJSON() ([]byte, error) {
	m := make(map[string]json.RawMessage, len(p.Fields)+1)
	for k, v := range p.Fields {
		m[k] = v
	}
	m["version"], _ = json.Marshal(p.Version)
	return json.Marshal(m)
}

// Set adds a field to the patch; handy in Go code and tests.
func (p *Patch) Set(field string, v any) *Patch {
	if p.Fields == nil {
		p.Fields = map[string]json.RawMessage{}
	}
	p.Fields[field], _ = json.Marshal(v)
	return p
}

// Apply writes the patch's fields into dst, a pointer to a struct whose
// fields carry json tags. Unknown and read-only fields, and values of the
// wrong type, are reported together, by field name.
func (p Patch) Apply(dst any) error {
	v := reflect.ValueOf(dst).Elem()
	fields := writableFields(v.Type())
	var probs Problems
	names := make([]string, 0, len(p.Fields))
	for name := range p.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		idx, ok := fields[name]
		if !ok {
			probs.Add(name, ReasonUnknownField, "is not a field that can be changed")
			continue
		}
		fv := v.FieldByIndex(idx)
		raw := p.Fields[name]
		if fv.Kind() == reflect.Map && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			if err := mergeMap(fv, raw); err != nil {
				probs.Add(name, ReasonInvalidFormat, "%s", cleanJSONError(err))
			}
			continue
		}
		fresh := reflect.New(fv.Type())
		if err := json.Unmarshal(raw, fresh.Interface()); err != nil {
			probs.Add(name, ReasonInvalidFormat, "%s", cleanJSONError(err))
			continue
		}
		fv.Set(fresh.Elem())
	}
	return probs.Err()
}

// mergeMap sets the keys of raw into the map fv, deleting keys set to null.
func mergeMap(fv reflect.Value, raw json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if fv.IsNil() {
		fv.Set(reflect.MakeMap(fv.Type()))
	}
	for k, r := range m {
		key := reflect.ValueOf(k)
		if bytes.Equal(bytes.TrimSpace(r), []byte("null")) {
			fv.SetMapIndex(key, reflect.Value{})
			continue
		}
		ev := reflect.New(fv.Type().Elem())
		if err := json.Unmarshal(r, ev.Interface()); err != nil {
			return err
		}
		fv.SetMapIndex(key, ev.Elem())
	}
	return nil
}

func cleanJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "must be " + describeKind(te.Type) + ", not " + te.Value
	}
	var ke *Error
	if errors.As(err, &ke) {
		return ke.Message
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func describeKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

var writableCache sync.Map // reflect.Type → map[string][]int

// writableFields maps JSON names to struct fields that a patch may set:
// every tagged field not marked kewei:"readonly".
func writableFields(t reflect.Type) map[string][]int {
	if m, ok := writableCache.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || f.Tag.Get("kewei") == "readonly" {
			continue
		}
		m[name] = f.Index
	}
	writableCache.Store(t, m)
	return m
}

// IsReadOnly reports whether the struct field is set by the server only.
func IsReadOnly(f reflect.StructField) bool { return f.Tag.Get("kewei") == "readonly" }
