package i18n

import (
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Date formats a calendar date: 2026年11月22日, or Nov 22, 2026.
func (t *Translator) Date(d kewei.Date) string {
	if d.IsZero() {
		return ""
	}
	return t.day(d.Time(time.UTC))
}

func (t *Translator) day(tm time.Time) string {
	if t.Locale == "en" {
		return tm.Format("Jan 2, 2006")
	}
	return tm.Format("2006年1月2日")
}

// Time formats an instant in loc: 2026年11月22日 14:05, or Nov 22, 2026 14:05.
func (t *Translator) Time(tm time.Time, loc *time.Location) string {
	if tm.IsZero() {
		return ""
	}
	tm = tm.In(loc)
	return t.day(tm) + " " + tm.Format("15:04")
}

// Number formats an integer with thousands separators: 1,234,567.
func (t *Translator) Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Money formats an amount in yuan: ¥1,234.50, or CNY 1,234.50.
func (t *Translator) Money(m kewei.Money) string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := t.Number(v/100) + "." + strconv.FormatInt(100+v%100, 10)[1:]
	if t.Locale == "en" {
		return sign + "CNY " + s
	}
	return sign + "¥" + s
}
