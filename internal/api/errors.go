package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// statusOf maps each error code to its HTTP status; it is the only place that
// does.
var statusOf = map[string]int{
	kewei.EINVALID:      http.StatusBadRequest,
	kewei.ENOTFOUND:     http.StatusNotFound,
	kewei.ECONFLICT:     http.StatusConflict,
	kewei.EUNAUTHORIZED: http.StatusUnauthorized,
	kewei.EFORBIDDEN:    http.StatusForbidden,
	kewei.EUNAVAILABLE:  http.StatusServiceUnavailable,
	kewei.ETOOMANY:      http.StatusTooManyRequests,
	kewei.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorBody is the JSON of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong.
type ErrorDetail struct {
	Code      string             `json:"code" enum:"invalid,not_found,conflict,unauthorized,forbidden,too_many_requests,unavailable,internal"`
	Message   string             `json:"message"`
	Fields    []kewei.FieldError `json:"fields,omitempty" doc:"For invalid requests: every bad field and why."`
	RequestID string             `json:"request_id" doc:"Quote it when reporting a problem; the server log has the details."`
}

// writeError writes err as JSON. Internal errors are logged with the
// request id and shown only as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := kewei.ErrorCode(err)
	if errors.Is(err, errBodyTooLarge) {
		code = kewei.EINVALID
	}
	id := RequestID(r.Context())
	if code == kewei.EINTERNAL {
		s.opt.Logger.Error("internal error", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	msg := kewei.ErrorMessage(err)
	if errors.Is(err, errBodyTooLarge) {
		msg = errBodyTooLarge.Error()
	}
	if code == kewei.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kewei"`)
	}
	if d := kewei.ErrorRetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds()+0.999)))
	}
	writeJSON(w, statusOf[code], ErrorBody{Error: ErrorDetail{Code: code, Message: msg,
		Fields: kewei.ErrorFields(err), RequestID: id}})
}

// writeJSON writes v with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
