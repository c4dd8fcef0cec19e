package api

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// enumer is a named string type that lists its values.
type enumer interface{ Enum() []string }

var enumerType = reflect.TypeFor[enumer]()

// decodeQuery fills the struct dst from the query string by its `query`
// tags. Lists are comma-separated or repeated; dates are YYYY-MM-DD in the
// installation's zone (an ",end" tag makes a date include its whole day) or
// RFC 3339 instants; values of enumerated types are checked. Unknown
// parameters are refused, so a typo never silently widens a filter.
func decodeQuery(r *http.Request, loc *time.Location, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	var p kewei.Problems
	known := map[string]bool{}
	queryFields(v.Type(), func(index []int, f reflect.StructField) {
		name, opt, _ := strings.Cut(f.Tag.Get("query"), ",")
		known[name] = true
		raw, ok := r.URL.Query()[name]
		if !ok {
			return
		}
		val := strings.TrimSpace(strings.Join(raw, ","))
		if val == "" {
			return
		}
		if err := setQueryField(v.FieldByIndex(index), val, opt == "end", loc); err != "" {
			p.Add(name, kewei.ReasonInvalidFormat, "%s", err)
		}
	})
	for name := range r.URL.Query() {
		if !known[name] {
			p.Add(name, kewei.ReasonUnknownField, "is not a parameter of this route")
		}
	}
	slices.SortFunc(p, func(a, b kewei.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return p.Err()
}

// queryFields calls fn with each field of t that has a query tag, looking
// inside embedded structs.
func queryFields(t reflect.Type, fn func(index []int, f reflect.StructField)) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			queryFields(f.Type, func(index []int, inner reflect.StructField) { fn(append([]int{i}, index...), inner) })
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("query"), ","); name != "" {
			fn([]int{i}, f)
		}
	}
}

func setQueryField(f reflect.Value, val string, end bool, loc *time.Location) string {
	switch f.Kind() {
	case reflect.String:
		if msg := checkEnum(f.Type(), val); msg != "" {
			return msg
		}
		f.SetString(val)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return "must be a whole number"
		}
		f.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return "must be true or false"
		}
		f.SetBool(b)
	case reflect.Slice:
		parts := strings.Split(val, ",")
		s := reflect.MakeSlice(f.Type(), 0, len(parts))
		for _, part := range parts {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if msg := checkEnum(f.Type().Elem(), part); msg != "" {
				return msg
			}
			s = reflect.Append(s, reflect.ValueOf(part).Convert(f.Type().Elem()))
		}
		f.Set(s)
	case reflect.Struct: // time.Time
		t, err := parseInstant(val, end, loc)
		if err != nil {
			return err.Error()
		}
		f.Set(reflect.ValueOf(t))
	}
	return ""
}

func checkEnum(t reflect.Type, val string) string {
	if !t.Implements(enumerType) {
		return ""
	}
	allowed := reflect.Zero(t).Interface().(enumer).Enum()
	if !slices.Contains(allowed, val) {
		return "must be one of " + strings.Join(allowed, ", ")
	}
	return ""
}

type badInstant struct{}

func (badInstant) Error() string {
	return "must be a date (YYYY-MM-DD) or an RFC 3339 time (2026-11-22T09:30:00+08:00)"
}

// parseInstant reads a date in loc or an RFC 3339 time. With end set, a
// date means the end of that day (the start of the next), so a range "to
// 2026-01-31" includes the 31st.
func parseInstant(s string, end bool, loc *time.Location) (time.Time, error) {
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, badInstant{}
	}
	return t, nil
}
