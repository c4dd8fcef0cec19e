package kewei

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in hundredths of the installation's currency unit (分,
// cents), so sums are exact. In JSON it is a plain decimal number.
type Money int64

// ParseMoney reads a decimal amount with at most two decimal places, such as
// "1234.5" or "-12.30".
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%q has more than two decimal places", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	if strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 90_000_000_000_000_000/100 {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	m := Money(w*100 + f)
	if neg {
		m = -m
	}
	return m, nil
}

// String formats m with two decimal places.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Float returns m in currency units, for statistics and charts.
func (m Money) Float() float64 { return float64(m) / 100 }

// MarshalJSON writes m as a JSON number with two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number or a numeric string without going
// through float64, so 0.1 stays exactly 0.10.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if string(b) == "null" {
		*m = 0
		return nil
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
