package chart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"
)

// wellFormed parses the SVG as XML and returns its text.
func wellFormed(t *testing.T, h template.HTML) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(h)))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, h)
		}
		if c, ok := tok.(xml.CharData); ok {
			text.Write(c)
		}
	}
}

func TestCharts(t *testing.T) {
	money := Options{Format: func(v float64) string { return fmt.Sprintf("¥%.0f", v) }}
	for name, h := range map[string]template.HTML{
		"bars":    Bars("客户<阶段>", []Bar{{"意向", 120}, {"保有", 800}, {"流失", 0}}, Options{}),
		"stacked": StackedBars("Region", []string{"广东省", "浙江省"}, []Series{{"A", []float64{1, 2}}, {"B & C", []float64{3, 4}}}, Options{}),
		"pyramid": Pyramid("价值金字塔", []Bar{{"A/VIP", 10}, {"B", 40}, {"C", 150}, {"D", 800}}, money),
		"line":    Line("Spend", []string{"2024", "2025", "2026"}, []Series{{"收入", []float64{5, 0, 9}}}, Options{}),
		"empty":   Bars("nothing", nil, Options{}),
	} {
		text := wellFormed(t, h)
		if !strings.Contains(string(h), `role="img"`) || !strings.Contains(string(h), "<title>") {
			t.Errorf("%s: no accessible title", name)
		}
		switch name {
		case "bars":
			if !strings.Contains(text, "客户<阶段>") || !strings.Contains(string(h), "客户&lt;阶段&gt;") || !strings.Contains(text, "保有") {
				t.Errorf("bars: labels %q", text)
			}
		case "stacked":
			if !strings.Contains(text, "B & C") || !strings.Contains(text, "浙江省") {
				t.Errorf("stacked: labels %q", text)
			}
		case "pyramid":
			if !strings.Contains(text, "¥800") || strings.Index(text, "A/VIP") > strings.Index(text, "D") {
				t.Errorf("pyramid: %q", text)
			}
		}
	}
}
