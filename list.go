package kewei

// List is one page of a list: the items, the cursor of the next page (empty
// on the last page) and how many items match in all, counted up to a cap so a
// count never scans a whole table.
type List[T any] struct {
	Items       []T    `json:"items"`
	Next        string `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	Total       int    `json:"total" doc:"How many items match, at most CountCap."`
	TotalCapped bool   `json:"total_capped" doc:"True when more than CountCap items match (show it as \"10000+\")."`
}

// CountCap is where list counts stop counting.
const CountCap = 10000

// DefaultLimit and MaxLimit bound a page's size.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// ClampLimit turns a requested page size into one within bounds.
func ClampLimit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	if n > MaxLimit {
		return MaxLimit
	}
	return n
}

// SetTotal records a count that stopped at CountCap+1.
func (l *List[T]) SetTotal(n int) {
	l.Total, l.TotalCapped = min(n, CountCap), n > CountCap
}
