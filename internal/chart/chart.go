// Package chart draws small charts as SVG on the server — bars, stacked
// bars, pyramids and lines — so pages need no chart library in the browser.
// Labels come in already translated; values are formatted by the caller's
// Format.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Bar is one labelled value.
type Bar struct {
	Label string
	Value float64
}

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []float64
}

// Options size a chart and format its numbers.
type Options struct {
	Width, Height int
	Format        func(float64) string
}

// palette is colour-blind-safe (Okabe–Ito), in order.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"}

// Color returns the palette colour of series i.
func Color(i int) string { return palette[i%len(palette)] }

func (o Options) withDefaults(w, h int) Options {
	if o.Width <= 0 {
		o.Width = w
	}
	if o.Height <= 0 {
		o.Height = h
	}
	if o.Format == nil {
		o.Format = func(v float64) string { return fmt.Sprintf("%.0f", v) }
	}
	return o
}

// svg is a small writer of SVG elements with escaped text.
type svg struct{ b strings.Builder }

func newSVG(title string, w, h int) *svg {
	s := &svg{}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet">`,
		html.EscapeString(title), w, h)
	fmt.Fprintf(&s.b, `<title>%s</title>`, html.EscapeString(title))
	return s
}

func (s *svg) rect(x, y, w, h float64, fill, tip string) {
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
		x, y, math.Max(w, 0), math.Max(h, 0), fill, html.EscapeString(tip))
}

func (s *svg) text(x, y float64, anchor, class, text string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, html.EscapeString(text))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"/>`, x1, y1, x2, y2, stroke, width)
}

func (s *svg) html() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String()) // every text was escaped above
}

// maxOf returns the largest value, at least a tiny positive number so
// scales never divide by zero.
func maxOf(vals ...float64) float64 {
	m := 1e-9
	for _, v := range vals {
		m = math.Max(m, v)
	}
	return m
}
