// Package search derives the search keys of a customer — name substrings,
// pinyin, pinyin initials, phone numbers and their last four digits, email —
// and turns what a user types into ranges over those keys. Keys are plain
// strings compared byte by byte, so one B-tree index answers every kind of
// search on SQLite and on PostgreSQL alike.
package search

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// surnames gives the reading of characters whose reading as a family name
// differs from their most common one (单 is shàn, not dān).
var surnames = map[rune]string{
	'单': "shan", '曾': "zeng", '解': "xie", '仇': "qiu", '区': "ou", '朴': "piao",
	'查': "zha", '翟': "zhai", '乐': "yue", '覃': "qin", '缪': "miao", '种': "chong",
	'盖': "ge", '尉': "yu", '长': "chang", '卜': "bu", '秘': "bi", '句': "gou",
	'燕': "yan", '蕃': "pi", '繁': "po", '冼': "xian", '员': "yun", '隗': "wei",
	'召': "shao", '能': "nai", '阚': "kan", '黑': "he", '重': "chong", '宓': "mi",
	'沈': "shen", '藏': "zang", '折': "she", '洗': "xian", '角': "jue", '过': "guo",
}

var pinyinArgs = pinyin.NewArgs()

// readings remembers each character's reading: the library styles every
// reading with regular expressions, too slow for a million names.
var readings sync.Map // rune → string ("" when it has none)

func reading(r rune) string {
	if v, ok := readings.Load(r); ok {
		return v.(string)
	}
	py := ""
	if rs := pinyin.SinglePinyin(r, pinyinArgs); len(rs) > 0 {
		py = rs[0]
	}
	readings.Store(r, py)
	return py
}

// Pinyin returns the syllables of s: one per Han character, in the toneless
// Normal style, and each run of Latin letters or digits as one lowercase word.
// When person is true the first character is read as a family name.
func Pinyin(s string, person bool) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	first := true
	for _, r := range s {
		r = Fold(r)
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if py, ok := surnames[r]; ok && first && person {
				out = append(out, py)
			} else if py := reading(r); py != "" {
				out = append(out, py)
			}
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
		first = false
	}
	flush()
	return out
}

// Initials returns the first letter of every syllable: 张三 → "zs".
func Initials(syllables []string) string {
	var b strings.Builder
	for _, s := range syllables {
		b.WriteByte(s[0])
	}
	return b.String()
}

// Fold turns full-width ASCII (Ｚ, ３) into its half-width form and keeps
// every other rune.
func Fold(r rune) rune {
	if r >= '！' && r <= '～' {
		return r - '！' + '!'
	}
	if r == '\u3000' {
		return ' '
	}
	return r
}
