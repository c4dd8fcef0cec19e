package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/kewei-crm/kewei/internal/sqlstore"
)

type report struct {
	db             string
	customers      int
	started        time.Time
	load, bareLoad time.Duration
	results        []result
}

type result struct {
	name   string
	goal   goal
	p, raw [3]time.Duration // p50, p95, p99
}

func percentiles(d []time.Duration) [3]time.Duration {
	slices.Sort(d)
	at := func(p int) time.Duration { return d[min(len(d)-1, len(d)*p/100)] }
	return [3]time.Duration{at(50), at(95), at(99)}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// write rewrites this database's section of the Markdown file.
func (r *report) write(path string) error {
	d, _ := sqlstore.ParseDSN(r.db)
	start, end := "<!-- bench:"+d.Driver+":start -->", "<!-- bench:"+d.Driver+":end -->"
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### %s, %d customers\n\n", start, map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver], r.customers)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s, %s. Command: `go run ./bench --db %s --customers %d`.\n\n",
		r.started.Format("2006-01-02"), machine(), commit(), runtime.Version(), redact(r.db), r.customers)
	if r.load > 0 {
		fmt.Fprintf(&b, "| load | Kewei | bare database | ratio | goal |\n|---|---|---|---|---|\n")
		goal := "none on PostgreSQL"
		if d.Driver == "sqlite" {
			goal = "under 2 minutes: " + verdict(r.load <= 2*time.Minute)
		}
		fmt.Fprintf(&b, "| `kewei demo --customers %d` (and ten transactions each) | %s | %s | %.2f× | %s |\n\n",
			r.customers, r.load.Round(100*time.Millisecond), r.bareLoad.Round(100*time.Millisecond),
			r.load.Seconds()/max(r.bareLoad.Seconds(), 0.001), goal)
	}
	fmt.Fprintf(&b, "| workload (over HTTP, one client) | p50 | p95 | p99 | same queries on the bare database, p50 / p95 / p99 | ratio at the goal's percentile | goal |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|\n")
	for _, res := range r.results {
		i := 2
		if res.goal.pct == 95 {
			i = 1
		}
		fmt.Fprintf(&b, "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f / %.1f / %.1f ms | %.1f× | p%d ≤ %d ms: %s |\n",
			res.name, ms(res.p[0]), ms(res.p[1]), ms(res.p[2]), ms(res.raw[0]), ms(res.raw[1]), ms(res.raw[2]),
			float64(res.p[i])/float64(max(res.raw[i], time.Microsecond)), res.goal.pct, res.goal.max.Milliseconds(),
			verdict(res.p[i] <= res.goal.max))
	}
	b.WriteString(end)
	return writeSection(path, start, end, b.String())
}

// writeSection replaces the text between start and end (the markers
// included, which section begins and ends with) in the Markdown file at
// path, or appends section when the file has none yet.
func writeSection(path, start, end, section string) error {
	old, _ := os.ReadFile(path)
	text := string(old)
	if i, j := strings.Index(text, start), strings.Index(text, end); i >= 0 && j > i {
		text = text[:i] + section + text[j+len(end):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				_, model, _ = strings.Cut(line, ": ")
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores", strings.TrimSpace(model), runtime.NumCPU())
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// redact hides a password in the database URL.
func redact(dsn string) string {
	if i, j := strings.Index(dsn, "://"), strings.Index(dsn, "@"); i >= 0 && j > i {
		if k := strings.Index(dsn[i+3:j], ":"); k >= 0 {
			return dsn[:i+3+k] + ":xxxxx" + dsn[j:]
		}
	}
	return dsn
}
