package chart

import "html/template"

// Bars draws one horizontal bar per value, labelled on the left and valued
// on the right.
func Bars(title string, bars []Bar, opt Options) template.HTML {
	opt = opt.withDefaults(480, 28*len(bars)+16)
	s := newSVG(title, opt.Width, opt.Height)
	labelW, valueW := float64(opt.Width)*0.28, float64(opt.Width)*0.2
	plotW := float64(opt.Width) - labelW - valueW
	var vals []float64
	for _, b := range bars {
		vals = append(vals, b.Value)
	}
	top := maxOf(vals...)
	for i, b := range bars {
		y := 8 + float64(i)*28
		s.text(labelW-6, y+15, "end", "label", b.Label)
		s.rect(labelW, y+2, plotW*b.Value/top, 18, Color(0), b.Label+": "+opt.Format(b.Value))
		s.text(labelW+plotW*b.Value/top+4, y+15, "start", "value", opt.Format(b.Value))
	}
	return s.html()
}

// StackedBars draws one vertical bar per category, its series stacked, with
// a legend below.
func StackedBars(title string, categories []string, series []Series, opt Options) template.HTML {
	opt = opt.withDefaults(480, 240)
	s := newSVG(title, opt.Width, opt.Height)
	legendH := 20.0 * float64((len(series)+2)/3)
	plotH := float64(opt.Height) - 30 - legendH
	totals := make([]float64, len(categories))
	for _, sr := range series {
		for i, v := range sr.Values {
			if i < len(totals) {
				totals[i] += v
			}
		}
	}
	top := maxOf(totals...)
	slot := float64(opt.Width) / float64(max(1, len(categories)))
	for i, cat := range categories {
		x, y := float64(i)*slot+slot*0.15, plotH+4
		for j, sr := range series {
			if i >= len(sr.Values) {
				continue
			}
			h := plotH * sr.Values[i] / top
			y -= h
			s.rect(x, y, slot*0.7, h, Color(j), cat+" · "+sr.Name+": "+opt.Format(sr.Values[i]))
		}
		s.text(x+slot*0.35, plotH+20, "middle", "label", cat)
	}
	legend(s, series, plotH+28, float64(opt.Width))
	return s.html()
}

func legend(s *svg, series []Series, y, width float64) {
	col := width / 3
	for i, sr := range series {
		x, yy := float64(i%3)*col, y+20*float64(i/3)
		s.rect(x, yy, 12, 12, Color(i), sr.Name)
		s.text(x+16, yy+11, "start", "legend", sr.Name)
	}
}
