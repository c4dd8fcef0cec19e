package search

import (
	"slices"
	"strings"
	"testing"
)

func TestPinyin(t *testing.T) {
	for _, tc := range []struct {
		in     string
		person bool
		want   string
	}{
		{"张三", true, "zhang san"},
		{"单雄信", true, "shan xiong xin"},
		{"曾国藩", true, "zeng guo fan"},
		{"单位", false, "dan wei"},
		{"李Ｍike 2号", true, "li mike 2 hao"},
	} {
		if got := strings.Join(Pinyin(tc.in, tc.person), " "); got != tc.want {
			t.Errorf("Pinyin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKeys(t *testing.T) {
	keys := Keys(Subject{Name: "张三丰", Person: true, Phones: []string{"13812345678"}, Email: "A@B.cn"})
	for _, want := range []string{"n张三丰", "u三丰", "u丰", "pzhangsanfeng", "izsf", "m13812345678", "t5678", "ea@b.cn"} {
		if !slices.Contains(keys, want) {
			t.Errorf("keys %q lack %q", keys, want)
		}
	}
	keys = Keys(Subject{Name: "Acme Trading-Co"})
	for _, want := range []string{"nacme trading-co", "utrading-co", "uco"} {
		if !slices.Contains(keys, want) {
			t.Errorf("keys %q lack %q", keys, want)
		}
	}
	if slices.Contains(keys, "ucme trading-co") {
		t.Errorf("Latin keys start inside a word: %q", keys)
	}
}

func TestRanges(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"5678", []string{"t5678"}},
		{"138 1234", []string{"m1381234"}},
		{"张三", []string{"n张三", "u张三"}},
		{"zs", []string{"izs", "nzs", "pzs", "uzs", "wzs"}},
		{"a@b", []string{"ea@b"}},
		{"  ", nil},
	} {
		var got []string
		for _, r := range Ranges(tc.q) {
			got = append(got, r.Lo)
			if r.Hi <= r.Lo || !strings.HasPrefix(r.Lo, r.Lo) {
				t.Errorf("range %q: hi %q not above lo", tc.q, r.Hi)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Ranges(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
	if s := successor("n张"); s != "n张"[:1]+string('张'+1) {
		t.Errorf("successor = %q", s)
	}
}

// Contains reports whether key falls in one of the ranges.
func TestContains(t *testing.T) {
	rs := Ranges("张")
	if !Contains(rs, "n张三") || !Contains(rs, "u张") || Contains(rs, "n李") {
		t.Fatal("Contains")
	}
}

func FuzzRanges(f *testing.F) {
	for _, s := range []string{"张三", "zs", "138", "a@b", "\xff", "\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, r := range Ranges(q) {
			if r.Hi <= r.Lo {
				t.Fatalf("Ranges(%q): empty range %q..%q", q, r.Lo, r.Hi)
			}
		}
	})
}
