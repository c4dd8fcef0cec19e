package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Route is one API endpoint: what it serves and, for the OpenAPI document,
// what it takes and returns.
type Route struct {
	Method  string
	Path    string // a net/http pattern path, such as /api/v1/customers/{id}
	Summary string
	Tag     string
	// Access says who may call the route.
	Access Access
	// Query is the struct whose `query` tags list the query parameters.
	Query any
	// Body is the request body's type, nil for none.
	Body any
	// PatchOf, for PATCH routes, is the type the body patches.
	PatchOf any
	// Response is the success body's type, nil for 204 No Content.
	Response any
	// Status is the success status (200 when zero).
	Status int
	// Consumes, when set, is the media type of a raw request body (an
	// uploaded file) the handler reads itself.
	Consumes string
	// Produces, when set, is the media type of a file the handler writes
	// itself (a report, an export); Response is then nil.
	Produces string
	// Serve handles the request and returns the response body.
	Serve func(w http.ResponseWriter, r *http.Request) (any, error)
}

type requestIDKey struct{}

// RequestID returns the id given to the request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives the request an id: the client's X-Request-Id when it
// is sensible, a random one otherwise. The response carries it back.
func withRequestID(w http.ResponseWriter, r *http.Request) *http.Request {
	id := r.Header.Get("X-Request-Id")
	if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	w.Header().Set("X-Request-Id", id)
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}

// wrap adds to a route what every route needs: a request id, the actor,
// panic recovery and an access log line.
func (s *Server) wrap(rt Route) http.Handler {
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.writeError(sw, r, fmt.Errorf("panic: %v", p))
			}
			code := sw.status
			if code == 0 {
				code = http.StatusOK
			}
			s.opt.Logger.Info("request", "request_id", RequestID(r.Context()), "method", r.Method, "path", r.URL.Path,
				"status", code, "ms", time.Since(start).Milliseconds(), "user", kewei.ActorUserID(r.Context()))
			if s.opt.Observe != nil {
				s.opt.Observe(rt.Method+" "+rt.Path, code, time.Since(start))
			}
		}()
		if rt.Access != AccessPublic {
			a, err := s.authenticate(r)
			if err != nil {
				s.writeError(sw, r, err)
				return
			}
			if a.MustChangePassword && !passwordChangeRoute(rt) {
				s.writeError(sw, r, kewei.Errorf(kewei.EFORBIDDEN, "change your one-time password first (POST /api/v1/me/password)"))
				return
			}
			r = r.WithContext(kewei.WithActor(r.Context(), a))
		}
		var out any
		err := dataAccess(r.Context(), rt)
		if err == nil {
			out, err = rt.Serve(sw, r)
		}
		if err != nil {
			if kewei.ErrorCode(err) == kewei.EFORBIDDEN {
				s.recordDenial(r, rt, err)
			}
			s.writeError(sw, r, err)
			return
		}
		if rt.Produces != "" {
			return // the handler wrote the file
		}
		if rt.Response == nil {
			sw.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(sw, status, out)
	})
}

// dataAccess refuses data routes to roles that see no customers, and lead
// routes to all but managers and administrators.
func dataAccess(ctx context.Context, rt Route) error {
	a := kewei.ActorFrom(ctx)
	if rt.Access == AccessData && a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return kewei.Errorf(kewei.EFORBIDDEN, "your role sees no customers")
	}
	if rt.Access == AccessLead && (a == nil || (a.Role != kewei.RoleManager && !a.IsAdmin())) {
		return kewei.Errorf(kewei.EFORBIDDEN, "only managers and administrators may do this")
	}
	return nil
}

// recordDenial writes a refused request to the audit log.
func (s *Server) recordDenial(r *http.Request, rt Route, err error) {
	detail := map[string]string{"route": rt.Method + " " + rt.Path, "path": r.URL.Path, "message": kewei.ErrorMessage(err)}
	if e := s.svc.Audit.RecordAccess(r.Context(), kewei.ActionDeny, "route", 0, detail); e != nil {
		s.opt.Logger.Error("audit a denial", "request_id", RequestID(r.Context()), "err", e)
	}
}

func passwordChangeRoute(rt Route) bool {
	return rt.Path == "/api/v1/me" || rt.Path == "/api/v1/me/password" || rt.Path == "/api/v1/auth/signout"
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection, to lengthen
// the deadlines of uploads and exports.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

var errBodyTooLarge = errors.New("the request body is larger than 1 MiB")

// decode reads a JSON body into v, rejecting unknown fields and naming the
// field whose value has the wrong type.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return kewei.Errorf(kewei.EINVALID, "cannot read the request body")
	}
	if len(body) > maxBody {
		return errBodyTooLarge
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return kewei.Errorf(kewei.EINVALID, "the request needs a JSON body")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return kewei.Errorf(kewei.EINVALID, "the body must hold one JSON value")
	}
	return nil
}

// jsonError explains a decoding error by field.
func jsonError(err error) error {
	var ke *kewei.Error
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var p kewei.Problems
	switch {
	case errors.As(err, &ke):
		return ke
	case errors.As(err, &te):
		p.Add(te.Field, kewei.ReasonInvalidFormat, "must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return kewei.Errorf(kewei.EINVALID, "the body is not valid JSON (at byte %d)", se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		p.Add(f, kewei.ReasonUnknownField, "is not a field of this object")
	case strings.Contains(err.Error(), "parsing time"):
		return kewei.Errorf(kewei.EINVALID, "times must be RFC 3339, such as 2026-11-22T09:30:00+08:00")
	default:
		return kewei.Errorf(kewei.EINVALID, "the body cannot be read: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return p.Err()
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	}
	return "an object"
}

// pathID reads the {name} path segment as an id.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, kewei.Errorf(kewei.ENOTFOUND, "%q is not an id", r.PathValue(name))
	}
	return id, nil
}
