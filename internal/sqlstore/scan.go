package sqlstore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Instants are stored as Unix milliseconds; 0 means "never".

// ms returns t as stored, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// msPtr returns *t as stored, 0 for nil.
func msPtr(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return ms(*t)
}

// fromMS turns a stored instant into a UTC time; 0 gives the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// instant scans a stored instant into a time.Time.
type instant struct{ t *time.Time }

func (i instant) Scan(src any) error {
	v, err := asInt64(src)
	*i.t = fromMS(v)
	return err
}

// optInstant scans a stored instant into a *time.Time, nil for 0 or NULL.
type optInstant struct{ t **time.Time }

func (i optInstant) Scan(src any) error {
	v, err := asInt64(src)
	if v == 0 || err != nil {
		*i.t = nil
		return err
	}
	t := fromMS(v)
	*i.t = &t
	return nil
}

func asInt64(src any) (int64, error) {
	switch v := src.(type) {
	case nil:
		return 0, nil
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case float64:
		return int64(v), nil
	}
	return 0, fmt.Errorf("sqlstore: cannot read %T as an instant", src)
}

// jsonValue stores a Go value as JSON text.
type jsonValue struct{ v any }

func (j jsonValue) Value() (driver.Value, error) {
	b, err := json.Marshal(j.v)
	return string(b), err
}

// jsonScan reads JSON text into a Go value.
type jsonScan struct{ v any }

func (j jsonScan) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(s), j.v)
	case []byte:
		return json.Unmarshal(s, j.v)
	}
	return fmt.Errorf("sqlstore: cannot read %T as JSON", src)
}

// nullString stores "" as NULL, for optional unique columns.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullText scans NULL as "".
type nullText struct{ s *string }

func (n nullText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.s = ""
	case string:
		*n.s = v
	case []byte:
		*n.s = string(v)
	default:
		return fmt.Errorf("sqlstore: cannot read %T as text", src)
	}
	return nil
}
