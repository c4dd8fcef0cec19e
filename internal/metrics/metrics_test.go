package metrics

import (
	"strings"
	"testing"
)

func TestTextFormat(t *testing.T) {
	r := New()
	c := r.Counter("kewei_imports_total", "Imports by kind.", "kind")
	c.Add(1, "customers")
	c.Add(2, "customers")
	h := r.Histogram("kewei_http_request_duration_seconds", "Latency.", []float64{0.1, 1}, "route")
	h.Observe(0.05, `GET /api/v1/customers`)
	h.Observe(0.5, `GET /api/v1/customers`)
	h.Observe(3, `GET /api/v1/customers`)
	r.Gauge("kewei_jobs", "Jobs by state.", func() []Sample { return []Sample{{Labels: []string{"available"}, Value: 4}} }, "state")
	var b strings.Builder
	r.WriteTo(&b)
	want := `# HELP kewei_imports_total Imports by kind.
# TYPE kewei_imports_total counter
kewei_imports_total{kind="customers"} 3
# HELP kewei_http_request_duration_seconds Latency.
# TYPE kewei_http_request_duration_seconds histogram
kewei_http_request_duration_seconds_bucket{route="GET /api/v1/customers",le="0.1"} 1
kewei_http_request_duration_seconds_bucket{route="GET /api/v1/customers",le="1"} 2
kewei_http_request_duration_seconds_bucket{route="GET /api/v1/customers",le="+Inf"} 3
kewei_http_request_duration_seconds_sum{route="GET /api/v1/customers"} 3.55
kewei_http_request_duration_seconds_count{route="GET /api/v1/customers"} 3
# HELP kewei_jobs Jobs by state.
# TYPE kewei_jobs gauge
kewei_jobs{state="available"} 4
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
