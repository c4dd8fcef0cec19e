package api

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

var pathParamRE = regexp.MustCompile(`\{(\w+)\}`)

// OpenAPI returns the OpenAPI 3.1 document of the routes, built from the
// route table and the Go types of their bodies, so it cannot drift from
// what the handlers do.
func (s *Server) OpenAPI() Schema {
	g := newSchemas()
	errRef := g.of(reflect.TypeFor[ErrorBody]())
	paths := Schema{}
	for _, rt := range s.routes {
		item, _ := paths[rt.Path].(Schema)
		if item == nil {
			item = Schema{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = operation(g, rt, errRef)
	}
	return Schema{
		"openapi": "3.1.0",
		"info": Schema{
			"title":       "Kewei (客维) API",
			"version":     kewei.Version,
			"description": "The customer-maintenance CRM. Sign in with POST /api/v1/auth/signin or send Authorization: Bearer <API token>. Errors are JSON with a code, a message and, for invalid requests, the fields at fault.",
		},
		"paths": paths,
		"components": Schema{
			"schemas": g.components,
			"securitySchemes": Schema{
				"bearer":  Schema{"type": "http", "scheme": "bearer"},
				"session": Schema{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			},
		},
		"security": []any{Schema{"bearer": []any{}}, Schema{"session": []any{}}},
	}
}

func operation(g *schemas, rt Route, errRef Schema) Schema {
	op := Schema{"summary": rt.Summary, "tags": []any{rt.Tag},
		"operationId": strings.ToLower(rt.Method) + pathParamRE.ReplaceAllString(strings.ReplaceAll(rt.Path, "/", "_"), "by_$1")}
	if rt.Access == AccessPublic {
		op["security"] = []any{}
	}
	op["x-access"] = string(rt.Access)
	var params []any
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, Schema{"name": m[1], "in": "path", "required": true, "schema": Schema{"type": "integer"}})
	}
	if rt.Query != nil {
		queryFields(reflect.TypeOf(rt.Query), func(_ []int, f reflect.StructField) {
			name, _, _ := strings.Cut(f.Tag.Get("query"), ",")
			p := Schema{"name": name, "in": "query", "schema": querySchema(g, f.Type)}
			if d := f.Tag.Get("doc"); d != "" {
				p["description"] = d
			}
			params = append(params, p)
		})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Body != nil {
		body := g.of(reflect.TypeOf(rt.Body))
		if rt.PatchOf != nil {
			pt := reflect.TypeOf(rt.PatchOf)
			name := componentName(pt) + "Patch"
			g.components[name] = g.object(pt, true)
			body = Schema{"$ref": "#/components/schemas/" + name}
		}
		op["requestBody"] = Schema{"required": true, "content": Schema{"application/json": Schema{"schema": body}}}
	}
	if rt.Consumes != "" {
		op["requestBody"] = Schema{"required": true, "content": Schema{rt.Consumes: Schema{"schema": Schema{"type": "string", "format": "binary"}}}}
	}
	status := "200"
	if rt.Status != 0 {
		status = strconv.Itoa(rt.Status)
	}
	responses := Schema{}
	switch {
	case rt.Produces != "":
		responses[status] = Schema{"description": "The file.",
			"content": Schema{rt.Produces: Schema{"schema": Schema{"type": "string", "format": "binary"}}}}
	case rt.Response == nil:
		responses["204"] = Schema{"description": "Done; no body."}
	default:
		responses[status] = Schema{"description": "Success.",
			"content": Schema{"application/json": Schema{"schema": g.of(reflect.TypeOf(rt.Response))}}}
	}
	responses["default"] = Schema{"description": "An error.",
		"content": Schema{"application/json": Schema{"schema": errRef}}}
	op["responses"] = responses
	return op
}

// querySchema documents a query parameter; lists are comma-separated.
func querySchema(g *schemas, t reflect.Type) Schema {
	switch {
	case t == timeType:
		return Schema{"type": "string", "description": "YYYY-MM-DD or RFC 3339"}
	case t.Kind() == reflect.Slice:
		item := g.of(t.Elem())
		return Schema{"type": "string", "description": "comma-separated", "examples": []any{exampleList(item)}}
	}
	return g.of(t)
}

func exampleList(item Schema) string {
	if vals, ok := item["enum"].([]any); ok && len(vals) > 2 {
		return vals[1].(string) + "," + vals[2].(string)
	}
	return "a,b"
}
