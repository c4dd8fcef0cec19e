package kewei

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each maps to one HTTP status in internal/api; the store and the
// services never speak HTTP.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable"
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is the domain's error: a code, a message meant for the user and, for
// validation errors, what is wrong with which field.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// RetryAfter, for ETOOMANY, says how long to wait.
	RetryAfter time.Duration
}

// FieldError names one invalid field, a reason code a UI can translate and an
// English explanation.
type FieldError struct {
	Field   string `json:"field" doc:"The field, as a JSON path such as phones[1].number."`
	Reason  string `json:"reason" doc:"A stable reason code: required, too_long, invalid_format, unknown_choice, …"`
	Message string `json:"message" doc:"An explanation in English."`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("kewei: %s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("kewei: %s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Field, e.Fields[0].Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not
// *Error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors never
// show their details.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorRetryAfter returns how long err says to wait, or 0.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ErrorFields returns the field errors carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records that field is wrong for reason.
func (p *Problems) Add(field, reason, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Reason: reason, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when nothing was recorded, otherwise an EINVALID error
// listing every problem.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := p[0].Field + ": " + p[0].Message
	if len(p) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(p)-1)
	}
	return &Error{Code: EINVALID, Message: msg, Fields: p}
}

// Reason codes used in FieldError.Reason.
const (
	ReasonRequired      = "required"
	ReasonTooLong       = "too_long"
	ReasonInvalidFormat = "invalid_format"
	ReasonUnknownChoice = "unknown_choice"
	ReasonOutOfRange    = "out_of_range"
	ReasonUnknownField  = "unknown_field"
	ReasonDuplicate     = "duplicate"
)
