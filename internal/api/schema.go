package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Schema is a JSON Schema (2020-12, as OpenAPI 3.1 uses) as a plain map.
type Schema = map[string]any

// schemas builds JSON Schemas from Go types: json tags name properties,
// `doc` tags describe them, `enum` tags and Enum() methods list values,
// kewei:"readonly" marks what only the server sets. Named structs become
// components referenced by $ref.
type schemas struct {
	components map[string]Schema
	names      map[reflect.Type]string
}

func newSchemas() *schemas {
	return &schemas{components: map[string]Schema{}, names: map[reflect.Type]string{}}
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	dateType  = reflect.TypeFor[kewei.Date]()
	moneyType = reflect.TypeFor[kewei.Money]()
	rawType   = reflect.TypeFor[json.RawMessage]()
)

// of returns the schema of t, registering named structs as components.
func (g *schemas) of(t reflect.Type) Schema {
	switch t {
	case timeType:
		return Schema{"type": "string", "format": "date-time"}
	case dateType:
		return Schema{"type": []any{"string", "null"}, "format": "date", "description": "YYYY-MM-DD, or null when not set."}
	case moneyType:
		return Schema{"type": "number", "description": "An amount with at most two decimal places."}
	case rawType:
		return Schema{}
	}
	if t.Implements(enumerType) && t.Kind() == reflect.String {
		return Schema{"type": "string", "enum": enumValues(reflect.Zero(t).Interface().(enumer).Enum())}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(g.of(t.Elem()))
	case reflect.String:
		return Schema{"type": "string"}
	case reflect.Bool:
		return Schema{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return Schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return Schema{"type": "number"}
	case reflect.Slice:
		elem := t.Elem()
		if elem.Kind() == reflect.Pointer {
			elem = elem.Elem() // lists never hold null
		}
		return Schema{"type": "array", "items": g.of(elem)}
	case reflect.Array:
		return Schema{"type": "array", "items": g.of(t.Elem()), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			return Schema{"type": "object"}
		}
		return Schema{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Interface:
		return Schema{}
	case reflect.Struct:
		return g.ref(t)
	}
	panic("api: no schema for " + t.String())
}

// enumValues adds "" for "not set": the API writes unset optional values as
// empty strings.
func enumValues(vals []string) []any {
	out := []any{""}
	for _, v := range vals {
		out = append(out, v)
	}
	return out
}

func nullable(s Schema) Schema {
	if _, ok := s["$ref"]; ok {
		return Schema{"anyOf": []any{s, Schema{"type": "null"}}}
	}
	out := Schema{}
	for k, v := range s {
		out[k] = v
	}
	switch ty := s["type"].(type) {
	case string:
		out["type"] = []any{ty, "null"}
	case []any:
		if !containsAny(ty, "null") {
			out["type"] = append(append([]any{}, ty...), "null")
		}
	}
	return out
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ref registers the struct as a component and returns a $ref to it.
func (g *schemas) ref(t reflect.Type) Schema {
	name, ok := g.names[t]
	if !ok {
		name = componentName(t)
		g.names[t] = name
		g.components[name] = g.object(t, false)
	}
	return Schema{"$ref": "#/components/schemas/" + name}
}

// object returns the schema of a struct's JSON object. With patch set, it
// lists only writable fields, all optional and nullable, plus the version.
func (g *schemas) object(t reflect.Type, patch bool) Schema {
	props := Schema{}
	var required []any
	g.fields(t, patch, props, &required)
	s := Schema{"type": "object", "properties": props, "additionalProperties": false}
	if patch {
		props["version"] = Schema{"type": "integer", "minimum": 1, "description": "The version you last read."}
		required = []any{"version"}
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (g *schemas) fields(t reflect.Type, patch bool, props Schema, required *[]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, patch, props, required)
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		if patch && kewei.IsReadOnly(f) {
			continue
		}
		s := g.of(f.Type)
		if e := f.Tag.Get("enum"); e != "" {
			s = Schema{"type": "string", "enum": enumValues(strings.Split(e, ","))}
		}
		if patch {
			s = nullable(s)
		}
		if d := f.Tag.Get("doc"); d != "" || kewei.IsReadOnly(f) {
			s = withDoc(s, d, kewei.IsReadOnly(f))
		}
		props[name] = s
		if !patch && !strings.Contains(opts, "omitempty") {
			*required = append(*required, name)
		}
	}
}

// withDoc adds a description and readOnly, wrapping a $ref since siblings of
// $ref are best avoided for older tools.
func withDoc(s Schema, doc string, readOnly bool) Schema {
	if _, ok := s["$ref"]; ok {
		s = Schema{"allOf": []any{s}}
	}
	out := Schema{}
	for k, v := range s {
		out[k] = v
	}
	if doc != "" {
		out["description"] = doc
	}
	if readOnly {
		out["readOnly"] = true
	}
	return out
}

// componentName turns a Go type name into a component name:
// List[*github.com/…/kewei.Customer] becomes CustomerList.
func componentName(t reflect.Type) string {
	name := t.Name()
	outer, inner, ok := strings.Cut(name, "[")
	if !ok {
		return name
	}
	inner = strings.TrimSuffix(inner, "]")
	inner = inner[strings.LastIndex(inner, ".")+1:]
	return strings.TrimLeft(inner, "*") + outer
}
