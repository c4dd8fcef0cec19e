package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CheckResponse validates a response body against the OpenAPI document: the
// route's schema for the status, or the error schema. Tests call it on every
// response so that the document and the handlers cannot disagree.
func (s *Server) CheckResponse(r *http.Request, status int, body []byte) error {
	_, pattern := s.mux.Handler(r)
	method, path, _ := strings.Cut(pattern, " ")
	if path == "" || path == "/api/" {
		return nil
	}
	doc := s.OpenAPI()
	item, ok := doc["paths"].(Schema)[path].(Schema)
	if !ok {
		return nil // the document itself
	}
	op, _ := item[strings.ToLower(method)].(Schema)
	if op == nil {
		return fmt.Errorf("openapi: no operation for %s", pattern)
	}
	responses := op["responses"].(Schema)
	resp, ok := responses[strconv.Itoa(status)].(Schema)
	if !ok {
		if status < 400 {
			return fmt.Errorf("openapi: %s does not document status %d", pattern, status)
		}
		resp = responses["default"].(Schema)
	}
	content, _ := resp["content"].(Schema)
	if content == nil {
		if len(strings.TrimSpace(string(body))) > 0 {
			return fmt.Errorf("openapi: %s %d documents no body but sent %q", pattern, status, body)
		}
		return nil
	}
	if content["application/json"] == nil {
		return nil // a file
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("openapi: %s %d: body is not JSON: %v", pattern, status, err)
	}
	schema := content["application/json"].(Schema)["schema"].(Schema)
	if err := validate(doc, schema, v, "$"); err != nil {
		return fmt.Errorf("openapi: %s %d: %w", pattern, status, err)
	}
	return nil
}

// validate checks v against the subset of JSON Schema the generator emits.
func validate(doc, s Schema, v any, at string) error {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := doc["components"].(Schema)["schemas"].(map[string]Schema)[name]
		if !ok {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return validate(doc, target, v, at)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		var errs []string
		for _, alt := range alts {
			if err := validate(doc, alt.(Schema), v, at); err == nil {
				return nil
			} else {
				errs = append(errs, err.Error())
			}
		}
		return fmt.Errorf("%s: matches none of anyOf: %s", at, strings.Join(errs, "; "))
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if err := validate(doc, sub.(Schema), v, at); err != nil {
				return err
			}
		}
	}
	if err := checkType(s["type"], v, at); err != nil {
		return err
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	if str, ok := v.(string); ok {
		if err := checkFormat(s["format"], str, at); err != nil {
			return err
		}
	}
	switch x := v.(type) {
	case []any:
		if items, ok := s["items"].(Schema); ok {
			for i, e := range x {
				if err := validate(doc, items, e, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	case map[string]any:
		return checkObject(doc, s, x, at)
	}
	return nil
}

func checkObject(doc, s Schema, x map[string]any, at string) error {
	props, _ := s["properties"].(Schema)
	if req, ok := s["required"].([]any); ok {
		for _, name := range req {
			if _, ok := x[name.(string)]; !ok {
				return fmt.Errorf("%s: missing required property %s", at, name)
			}
		}
	}
	for k, e := range x {
		if p, ok := props[k].(Schema); ok {
			if err := validate(doc, p, e, at+"."+k); err != nil {
				return err
			}
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case bool:
			if !extra {
				return fmt.Errorf("%s: property %s is not in the document", at, k)
			}
		case Schema:
			if err := validate(doc, extra, e, at+"."+k); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkType(t any, v any, at string) error {
	var types []any
	switch x := t.(type) {
	case nil:
		return nil
	case string:
		types = []any{x}
	case []any:
		types = x
	}
	got := jsonType(v)
	for _, want := range types {
		if want == got || (want == "number" && got == "integer") {
			return nil
		}
	}
	return fmt.Errorf("%s: is %s, want %v", at, got, types)
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

func checkFormat(f any, s, at string) error {
	var err error
	switch f {
	case "date-time":
		_, err = time.Parse(time.RFC3339Nano, s)
	case "date":
		_, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		return fmt.Errorf("%s: %q is not a %s", at, s, f)
	}
	return nil
}
