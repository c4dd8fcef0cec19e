package kewei_test

import (
	"encoding/json"
	"testing"

	"github.com/kewei-crm/kewei"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"0086 13812345678", "13812345678", true},
		{"１３８１２３４５６７８", "13812345678", true},
		{"(010) 6552-1234", "01065521234", true},
		{"+44 20 7946 0958", "+442079460958", true},
		{"4008123123", "4008123123", true},
		{"6552123", "6552123", true},
		{"12812345678", "12812345678", false},
		{"138123", "138123", false},
		{"138-abc", "", false},
	} {
		got, ok := kewei.NormalizePhone(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if m := kewei.MaskPhone("13812341234"); m != "138****1234" {
		t.Errorf("MaskPhone = %s", m)
	}
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want kewei.Money
		ok   bool
	}{
		{"1234.5", 123450, true}, {"-12.30", -1230, true}, {"0.1", 10, true}, {".5", 50, true},
		{"7", 700, true}, {"1.234", 0, false}, {"abc", 0, false}, {"1-2", 0, false}, {"", 0, false}, {"--1", 0, false},
	} {
		got, err := kewei.ParseMoney(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseMoney(%q) = %v, %v", tc.in, got, err)
		}
	}
	var v struct{ A kewei.Money }
	if err := json.Unmarshal([]byte(`{"A": 0.1}`), &v); err != nil || v.A != 10 {
		t.Fatalf("unmarshal 0.1: %v %v", v.A, err)
	}
	b, _ := json.Marshal(struct{ A kewei.Money }{-5})
	if string(b) != `{"A":-0.05}` {
		t.Fatalf("marshal: %s", b)
	}
}

func TestPatch(t *testing.T) {
	var p kewei.Patch
	err := json.Unmarshal([]byte(`{"name": "x"}`), &p)
	if kewei.ErrorCode(err) != kewei.EINVALID || kewei.ErrorFields(err)[0].Field != "version" {
		t.Fatalf("missing version: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"version": 3, "name": "李四", "birthday": null, "custom": {"a": null, "b": 2}}`), &p); err != nil {
		t.Fatal(err)
	}
	c := kewei.Customer{Name: "张三", Birthday: kewei.Date{Year: 1990, Month: 1, Day: 2}, Custom: map[string]any{"a": 1.0, "c": "x"}}
	if err := p.Apply(&c); err != nil {
		t.Fatal(err)
	}
	if p.Version != 3 || c.Name != "李四" || !c.Birthday.IsZero() || c.Custom["b"] != 2.0 || c.Custom["c"] != "x" {
		t.Fatalf("applied: %+v", c)
	}
	if _, ok := c.Custom["a"]; ok {
		t.Fatal("null did not remove a custom key")
	}
	json.Unmarshal([]byte(`{"version": 1, "birthday": "1990-02-30", "tags": "x"}`), &p)
	err = p.Apply(&c)
	if f := kewei.ErrorFields(err); len(f) != 2 || f[0].Field != "birthday" || f[1].Field != "tags" {
		t.Fatalf("bad values: %v", err)
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")", "+1+1": "'+1+1", "@SUM(A1)": "'@SUM(A1)",
		"-2+3": "'-2+3", "\t=1": "'\t=1", "-12.50": "-12.50", "+86 138": "'+86 138", "张三": "张三", "": "",
	} {
		if got := kewei.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLineDays(t *testing.T) {
	got, err := kewei.ParseLineDays("售后=365，存款 = 180、\n保险=90")
	if err != nil || len(got) != 3 || got["售后"] != 365 || got["存款"] != 180 || got["保险"] != 90 {
		t.Errorf("%v %v", got, err)
	}
	for _, bad := range []string{"售后", "=30", "售后=0", "售后=x"} {
		if _, err := kewei.ParseLineDays(bad); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if got, err := kewei.ParseLineDays(" "); err != nil || len(got) != 0 {
		t.Errorf("blank: %v %v", got, err)
	}
}
