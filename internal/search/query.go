package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Range is a half-open range of keys [Lo, Hi): every key that starts with a
// prefix.
type Range struct{ Lo, Hi string }

// Ranges turns what a user typed into the key ranges to look up, in key
// order, which is also the order of relevance: pinyin initials, names that
// start with the query, full pinyin, names that contain it, WeChat ids. It
// returns nil when the query holds nothing searchable.
func Ranges(query string) []Range {
	q := normalizeText(query)
	if q == "" {
		return nil
	}
	if digits, ok := phoneDigits(q); ok {
		switch {
		case len(digits) == 4:
			return []Range{prefix(kindTail, digits)}
		case len(digits) >= 3:
			return []Range{prefix(kindPhone, digits)}
		}
	}
	if strings.Contains(q, "@") {
		return []Range{prefix(kindEmail, strings.ReplaceAll(q, " ", ""))}
	}
	text := clip(q, maxKeyRunes)
	if hasHan(q) {
		return []Range{prefix(kindText, text), prefix(kindInner, text)}
	}
	compact := strings.ReplaceAll(q, " ", "")
	out := []Range{prefix(kindText, text), prefix(kindInner, text), prefix(kindPinyin, clip(compact, 64)), prefix(kindWeChat, compact)}
	if utf8.RuneCountInString(compact) <= 24 && isLetters(compact) {
		out = append(out, prefix(kindInitials, compact))
	}
	slices.SortFunc(out, func(a, b Range) int { return strings.Compare(a.Lo, b.Lo) })
	return out
}

// phoneDigits reports whether q looks like (part of) a phone number and
// returns its digits without the +86 country code.
func phoneDigits(q string) (string, bool) {
	var b strings.Builder
	for i, r := range q {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == '-', r == ' ', r == '(', r == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	if strings.HasPrefix(q, "+86") && len(d) > 2 {
		d = d[2:]
	}
	return d, d != ""
}

func prefix(kind byte, v string) Range {
	lo := string(kind) + v
	return Range{Lo: lo, Hi: successor(lo)}
}

// successor returns the smallest string greater than every string that
// starts with s: s with its last rune incremented. It stays valid UTF-8,
// which PostgreSQL requires of text parameters.
func successor(s string) string {
	r, size := utf8.DecodeLastRuneInString(s)
	if r == utf8.MaxRune {
		return successor(s[:len(s)-size])
	}
	next := r + 1
	if next >= 0xD800 && next <= 0xDFFF {
		next = 0xE000
	}
	return s[:len(s)-size] + string(next)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// Contains reports whether key falls in one of the ranges.
func Contains(ranges []Range, key string) bool {
	for _, r := range ranges {
		if key >= r.Lo && key < r.Hi {
			return true
		}
	}
	return false
}
