package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key kinds: the first byte of every key says what it indexes.
const (
	kindText     = 'n' // the whole name or company, lowercase: prefix matches
	kindInner    = 'u' // a suffix starting inside the name or company: inner matches
	kindPinyin   = 'p' // the full pinyin, no spaces
	kindInitials = 'i' // pinyin initials
	kindPhone    = 'm' // a whole normalized phone number
	kindTail     = 't' // the last four digits of a phone number
	kindEmail    = 'e' // an email address, lowercase
	kindWeChat   = 'w' // a WeChat id, lowercase
)

// maxKeyRunes bounds the length of text keys; queries are cut to the same
// length, so a longer query still finds what it names.
const maxKeyRunes = 24

// Subject is what a customer can be found by.
type Subject struct {
	Name, Company string
	Person        bool // the name is a person's, read its first character as a surname
	Phones        []string
	Email, WeChat string
}

// Keys returns the distinct search keys of s.
func Keys(s Subject) []string {
	seen := map[string]bool{}
	var keys []string
	add := func(kind byte, v string) {
		if v == "" {
			return
		}
		k := string(kind) + v
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for i, suf := range suffixes(s.Name) {
		add(textKind(i), suf)
	}
	syl := Pinyin(s.Name, s.Person)
	add(kindPinyin, clip(strings.Join(syl, ""), 64))
	if len(syl) > 1 {
		add(kindInitials, clip(Initials(syl), 24))
	}
	// A company is found by any part of its name two characters or longer;
	// single characters of a long name match too much to help.
	for i, suf := range suffixes(s.Company) {
		if utf8.RuneCountInString(suf) >= 2 {
			add(textKind(i), suf)
		}
	}
	for _, p := range s.Phones {
		add(kindPhone, p)
		if len(p) >= 4 {
			add(kindTail, p[len(p)-4:])
		}
	}
	add(kindEmail, strings.ToLower(s.Email))
	add(kindWeChat, strings.ToLower(s.WeChat))
	return keys
}

// textKind is the kind of the i-th suffix: the whole text, or inside it.
func textKind(i int) byte {
	if i == 0 {
		return kindText
	}
	return kindInner
}

// suffixes returns the text's substring keys: every suffix that starts at a
// Han character, and every suffix that starts a Latin word, lowercased and
// cut to maxKeyRunes.
func suffixes(text string) []string {
	text = normalizeText(text)
	var out []string
	runes := []rune(text)
	for i, r := range runes {
		if r == ' ' {
			continue
		}
		wordStart := i == 0 || runes[i-1] == ' ' || unicode.Is(unicode.Han, runes[i-1]) || !isWordRune(runes[i-1])
		if unicode.Is(unicode.Han, r) || (wordStart && isWordRune(r)) {
			out = append(out, string(runes[i:min(len(runes), i+maxKeyRunes)]))
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// normalizeText folds width and case and collapses spaces.
func normalizeText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		r = unicode.ToLower(Fold(r))
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
