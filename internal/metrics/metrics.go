// Package metrics keeps counters, histograms and gauges and writes them in
// the Prometheus text format, for /metrics. It is small on purpose: the
// handful of series Kewei exposes need no client library.
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Registry holds every series; the zero value is not usable, use New.
type Registry struct {
	mu     sync.Mutex
	series map[string]*family
	order  []string
}

type family struct {
	name, help, kind string
	labels           []string
	buckets          []float64
	values           map[string]*value // by joined label values
	gauge            func() []Sample   // for gauges read at scrape time
}

type value struct {
	labels []string
	count  float64   // counters; histograms: observations
	sum    float64   // histograms
	bucket []float64 // histograms: cumulative counts per bucket
}

// Sample is one gauge reading with its label values.
type Sample struct {
	Labels []string
	Value  float64
}

// New returns an empty registry.
func New() *Registry { return &Registry{series: map[string]*family{}} }

func (r *Registry) add(f *family) *family {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.series[f.name]; ok {
		return old
	}
	f.values = map[string]*value{}
	r.series[f.name] = f
	r.order = append(r.order, f.name)
	return f
}

// Counter is a family of counters.
type Counter struct {
	r *Registry
	f *family
}

// Counter registers (or returns) a counter family.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	return &Counter{r, r.add(&family{name: name, help: help, kind: "counter", labels: labels})}
}

// Add adds n to the series of the label values.
func (c *Counter) Add(n float64, labels ...string) {
	c.r.mu.Lock()
	c.f.at(labels).count += n
	c.r.mu.Unlock()
}

// Histogram is a family of histograms.
type Histogram struct {
	r *Registry
	f *family
}

// DefaultBuckets suit request latencies in seconds.
var DefaultBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Histogram registers (or returns) a histogram family.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	return &Histogram{r, r.add(&family{name: name, help: help, kind: "histogram", labels: labels, buckets: buckets})}
}

// Observe records one value in the series of the label values.
func (h *Histogram) Observe(v float64, labels ...string) {
	h.r.mu.Lock()
	s := h.f.at(labels)
	if s.bucket == nil {
		s.bucket = make([]float64, len(h.f.buckets))
	}
	s.count++
	s.sum += v
	for i, b := range h.f.buckets {
		if v <= b {
			s.bucket[i]++
		}
	}
	h.r.mu.Unlock()
}

// Gauge registers a gauge family read by fn at each scrape.
func (r *Registry) Gauge(name, help string, fn func() []Sample, labels ...string) {
	r.add(&family{name: name, help: help, kind: "gauge", labels: labels, gauge: fn})
}

func (f *family) at(labels []string) *value {
	key := strings.Join(labels, "\x00")
	v, ok := f.values[key]
	if !ok {
		v = &value{labels: slices.Clone(labels)}
		f.values[key] = v
	}
	return v
}

// WriteTo writes every series in the Prometheus text format.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	r.mu.Lock()
	names := slices.Clone(r.order)
	r.mu.Unlock()
	for _, name := range names {
		r.mu.Lock()
		f := r.series[name]
		r.mu.Unlock()
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.kind)
		if f.gauge != nil {
			for _, s := range f.gauge() {
				fmt.Fprintf(&b, "%s%s %s\n", f.name, labelText(f.labels, s.Labels, ""), num(s.Value))
			}
			continue
		}
		r.mu.Lock()
		vals := make([]*value, 0, len(f.values))
		for _, v := range f.values {
			c := *v
			c.bucket = slices.Clone(v.bucket)
			vals = append(vals, &c)
		}
		r.mu.Unlock()
		sort.Slice(vals, func(i, j int) bool { return strings.Join(vals[i].labels, ",") < strings.Join(vals[j].labels, ",") })
		for _, v := range vals {
			if f.kind == "counter" {
				fmt.Fprintf(&b, "%s%s %s\n", f.name, labelText(f.labels, v.labels, ""), num(v.count))
				continue
			}
			for i, le := range f.buckets {
				fmt.Fprintf(&b, "%s_bucket%s %s\n", f.name, labelText(f.labels, v.labels, num(le)), num(v.bucket[i]))
			}
			fmt.Fprintf(&b, "%s_bucket%s %s\n", f.name, labelText(f.labels, v.labels, "+Inf"), num(v.count))
			fmt.Fprintf(&b, "%s_sum%s %s\n%s_count%s %s\n", f.name, labelText(f.labels, v.labels, ""), num(v.sum),
				f.name, labelText(f.labels, v.labels, ""), num(v.count))
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ServeHTTP serves the text format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = r.WriteTo(w)
}

func labelText(names, vals []string, le string) string {
	var parts []string
	for i, n := range names {
		v := ""
		if i < len(vals) {
			v = vals[i]
		}
		parts = append(parts, n+`="`+escape(v)+`"`)
	}
	if le != "" {
		parts = append(parts, `le="`+le+`"`)
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func num(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
