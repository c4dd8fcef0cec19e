package kewei

import (
	"strings"
	"unicode"
)

// NormalizePhone reduces a phone number as people type it — "+86 138-1234-5678",
// "（010）6552 1234", full-width digits — to digits, keeping a leading "+" for
// numbers outside mainland China. It reports false when what is left cannot be
// a phone number.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case (r == '+' || r == '＋') && i == 0:
			b.WriteByte('+')
		case unicode.IsSpace(r) || strings.ContainsRune("-－—.()（）/", r):
		default:
			return "", false
		}
	}
	n := b.String()
	for _, prefix := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok && len(rest) >= 10 {
			n = rest
		}
	}
	switch {
	case strings.HasPrefix(n, "+"):
		return n, len(n) >= 9 && len(n) <= 16
	case len(n) == 11 && n[0] == '1':
		return n, n[1] >= '3' && n[1] <= '9'
	case strings.HasPrefix(n, "0"):
		return n, len(n) >= 10 && len(n) <= 16
	case strings.HasPrefix(n, "400") || strings.HasPrefix(n, "800"):
		return n, len(n) == 10
	}
	return n, len(n) >= 7 && len(n) <= 8
}

// MaskPhone hides the middle of a number: 13812341234 → 138****1234.
func MaskPhone(n string) string {
	if len(n) < 7 {
		return strings.Repeat("*", len(n))
	}
	return n[:3] + strings.Repeat("*", len(n)-7) + n[len(n)-4:]
}

// PhoneTail returns the last four digits of a normalized number.
func PhoneTail(n string) string {
	if len(n) < 4 {
		return n
	}
	return n[len(n)-4:]
}
