// Package i18n holds Kewei's message catalogs — Chinese first, English
// second — and formats dates, numbers and money for a locale. No
// user-facing text lives in Go code or templates: they name a message.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed messages/*.json
var files embed.FS

// Locales lists the languages Kewei speaks, the default first.
var Locales = []string{"zh-CN", "en"}

// Catalogs holds every language's messages.
type Catalogs struct {
	byLocale map[string]map[string]string
}

// Load reads the embedded catalogs. Every catalog must have the keys of the
// Chinese one.
func Load() (*Catalogs, error) {
	c := &Catalogs{byLocale: map[string]map[string]string{}}
	for _, loc := range Locales {
		b, err := files.ReadFile("messages/" + loc + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", loc, err)
		}
		c.byLocale[loc] = m
	}
	if missing := c.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("i18n: missing messages: %s", strings.Join(missing, ", "))
	}
	return c, nil
}

// Missing lists "locale: key" for every key of one catalog that another
// lacks.
func (c *Catalogs) Missing() []string {
	var out []string
	for _, a := range Locales {
		for key := range c.byLocale[a] {
			for _, b := range Locales {
				if _, ok := c.byLocale[b][key]; !ok {
					out = append(out, b+": "+key)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Keys returns every message key.
func (c *Catalogs) Keys() []string {
	var out []string
	for k := range c.byLocale[Locales[0]] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// For returns the translator for a locale, the default for one unknown.
func (c *Catalogs) For(locale string) *Translator {
	loc := Match(locale)
	return &Translator{Locale: loc, msgs: c.byLocale[loc]}
}

// Match picks the supported locale closest to a tag: any English is "en",
// anything else Chinese.
func Match(tag string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(tag)), "en") {
		return "en"
	}
	return Locales[0]
}

// FromAcceptLanguage picks a locale from an Accept-Language header: the
// first language the header names that Kewei speaks, Chinese when it names
// neither.
func FromAcceptLanguage(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh-CN"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return Locales[0]
}

// Translator speaks one locale.
type Translator struct {
	Locale string
	msgs   map[string]string
}

// T returns the message for key with args put in its %s, %d … verbs. An
// unknown key shows itself, so a missing message is visible, not blank.
func (t *Translator) T(key string, args ...any) string {
	msg, ok := t.msgs[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether the catalog has key.
func (t *Translator) Has(key string) bool {
	_, ok := t.msgs[key]
	return ok
}
