package sqlstore

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// where collects SQL conditions and their bound values. Columns come from the
// code, never from the request; values are always bound.
type where struct {
	conds []string
	args  []any
}

// and returns w with one more condition; an empty cond adds nothing.
func (w where) and(cond string, args ...any) where {
	if cond == "" {
		return w
	}
	return where{conds: append(append([]string(nil), w.conds...), cond), args: append(append([]any(nil), w.args...), args...)}
}

func (w where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// order is a keyset-paginated ordering on one allow-listed column and id.
type order struct {
	key   string // the name the client used
	col   string
	idCol string
	desc  bool
}

// parseSort reads "col" or "-col" against the allow-list.
func parseSort(s, def string, allowed map[string]string) (order, error) {
	if s == "" {
		s = def
	}
	key := strings.TrimPrefix(s, "-")
	col, ok := allowed[key]
	if !ok {
		names := make([]string, 0, len(allowed))
		for k := range allowed {
			names = append(names, k)
		}
		slices.Sort(names)
		return order{}, &kewei.Error{Code: kewei.EINVALID, Message: "sort: cannot sort by " + key,
			Fields: []kewei.FieldError{{Field: "sort", Reason: kewei.ReasonUnknownChoice,
				Message: "must be one of " + strings.Join(names, ", ") + ", with - first for descending"}}}
	}
	idCol := "id"
	if table, _, ok := strings.Cut(col, "."); ok {
		idCol = table + ".id"
	}
	return order{key: key, col: col, idCol: idCol, desc: strings.HasPrefix(s, "-")}, nil
}

func (o order) sql() string {
	if o.desc {
		return " ORDER BY " + o.col + " DESC, " + o.idCol + " DESC"
	}
	return " ORDER BY " + o.col + ", " + o.idCol
}

// cursorValue is what a cursor holds: the last row's sort value and id.
type cursorValue struct {
	Key string          `json:"k"`
	V   json.RawMessage `json:"v"`
	ID  int64           `json:"id"`
}

// cursor encodes the position after a row.
func (o order) cursor(v any, id int64) string {
	raw, _ := json.Marshal(v)
	b, _ := json.Marshal(cursorValue{Key: o.key, V: raw, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// after returns the keyset condition for rows after the cursor.
func (o order) after(cursor string) (string, []any, error) {
	if cursor == "" {
		return "", nil, nil
	}
	bad := &kewei.Error{Code: kewei.EINVALID, Message: "cursor: is not a cursor of this list",
		Fields: []kewei.FieldError{{Field: "cursor", Reason: kewei.ReasonInvalidFormat, Message: "is not a cursor of this list; start again from the first page"}}}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", nil, bad
	}
	var c cursorValue
	if json.Unmarshal(b, &c) != nil || c.Key != o.key {
		return "", nil, bad
	}
	var v any
	d := json.NewDecoder(strings.NewReader(string(c.V)))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return "", nil, bad
	}
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			return "", nil, bad
		}
		v = n
	case string:
	default:
		return "", nil, bad
	}
	op := ">"
	if o.desc {
		op = "<"
	}
	return "(" + o.col + ", " + o.idCol + ") " + op + " (?, ?)", []any{v, c.ID}, nil
}
