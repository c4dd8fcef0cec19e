package chart

import (
	"fmt"
	"html/template"
	"math"
)

// Pyramid draws layers as a pyramid, the first at the top: each layer is
// wider than the one above it whatever its value, so the shape reads as the
// customer pyramid of value tiers and every label fits; the value is
// written in the layer, and its share of the total in the tooltip.
func Pyramid(title string, layers []Bar, opt Options) template.HTML {
	opt = opt.withDefaults(320, 40*len(layers)+10)
	s := newSVG(title, opt.Width, opt.Height)
	total := 0.0
	for _, l := range layers {
		total += math.Max(l.Value, 0)
	}
	mid, full := float64(opt.Width)/2, float64(opt.Width)*0.94
	n := float64(len(layers))
	for i, l := range layers {
		w := full * (0.4 + 0.6*float64(i+1)/n)
		y := 5 + float64(i)*40
		tip := l.Label + ": " + opt.Format(l.Value)
		if total > 0 {
			tip += fmt.Sprintf(" (%.1f%%)", 100*math.Max(l.Value, 0)/total)
		}
		s.rect(mid-w/2, y, w, 34, Color(i), tip)
		s.text(mid, y+15, "middle", "layer", l.Label)
		s.text(mid, y+29, "middle", "layer-value", opt.Format(l.Value))
	}
	return s.html()
}

// Line draws series as lines over labelled points on the x axis.
func Line(title string, xLabels []string, series []Series, opt Options) template.HTML {
	opt = opt.withDefaults(480, 220)
	s := newSVG(title, opt.Width, opt.Height)
	legendH := 20.0 * float64((len(series)+2)/3)
	left, plotW, plotH := 40.0, float64(opt.Width)-50, float64(opt.Height)-34-legendH
	var all []float64
	for _, sr := range series {
		all = append(all, sr.Values...)
	}
	top := maxOf(all...)
	s.line(left, plotH+4, left+plotW, plotH+4, "#999", 1)
	s.text(left-4, 12, "end", "value", opt.Format(top))
	step := plotW / math.Max(1, float64(len(xLabels)-1))
	for i, lb := range xLabels {
		if len(xLabels) <= 12 || i%((len(xLabels)+11)/12) == 0 {
			s.text(left+float64(i)*step, plotH+20, "middle", "label", lb)
		}
	}
	for j, sr := range series {
		for i := 1; i < len(sr.Values) && i < len(xLabels); i++ {
			x1, x2 := left+float64(i-1)*step, left+float64(i)*step
			y1, y2 := 4+plotH*(1-sr.Values[i-1]/top), 4+plotH*(1-sr.Values[i]/top)
			s.line(x1, y1, x2, y2, Color(j), 2)
		}
	}
	legend(s, series, plotH+28, float64(opt.Width))
	return s.html()
}
