package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// setting is one configuration value: its flag name, environment variable,
// default and whether it is secret.
type setting struct {
	name, env, def, help string
	secret               bool
	check                func(string) error
}

// settings lists every configuration value. They come from, in increasing
// precedence: the defaults, the file named by --config or KEWEI_CONFIG
// (lines KEWEI_NAME=value), the environment (secrets also from
// KEWEI_NAME_FILE), and flags.
var settings = []setting{
	{name: "db", env: "KEWEI_DB", def: "sqlite:./kewei.db", secret: true, check: checkDSN,
		help: "the database: sqlite:PATH or a postgres:// URL"},
	{name: "addr", env: "KEWEI_ADDR", def: "127.0.0.1:8080", help: "where serve listens (host:port; port 0 picks a free one)"},
	{name: "timezone", env: "KEWEI_TIMEZONE", def: "Asia/Shanghai", check: checkZone,
		help: "the installation's time zone, for dates in filters and reminders"},
	{name: "session-ttl", env: "KEWEI_SESSION_TTL", def: "12h", check: checkDuration, help: "how long a sign-in lasts"},
	{name: "secure-cookies", env: "KEWEI_SECURE_COOKIES", def: "false", check: checkBool,
		help: "mark cookies Secure (set when serving behind HTTPS)"},
	{name: "rate-limit", env: "KEWEI_RATE_LIMIT", def: "100", check: checkRate,
		help: "requests a second one client address may make (bursts of twice that; sign-in: ten a minute); 0 turns limits off"},
	{name: "max-requests", env: "KEWEI_MAX_REQUESTS", def: "64", check: checkCount,
		help: "requests served at once; more wait in a bounded queue, then get 503 (load shedding)"},
	{name: "max-queue", env: "KEWEI_MAX_QUEUE", def: "256", check: checkCount,
		help: "requests that may wait for a slot; beyond it they get 503 at once"},
	{name: "queue-wait", env: "KEWEI_QUEUE_WAIT", def: "100ms", check: checkDuration,
		help: "how long a request waits for a slot before it gets 503"},
	{name: "retier-at", env: "KEWEI_RETIER_AT", def: "02:00", check: checkClock,
		help: "when serve re-tiers every customer each night (HH:MM in the time zone), or off"},
	{name: "tasks-at", env: "KEWEI_TASKS_AT", def: "06:00", check: checkClock,
		help: "when serve plans the day's follow-up tasks (HH:MM in the time zone; also once at start, to catch up), or off"},
	{name: "churn-at", env: "KEWEI_CHURN_AT", def: "03:00", check: checkClock,
		help: "when serve scores every customer's churn risk each night (HH:MM in the time zone), or off"},
	{name: "churn-retrain", env: "KEWEI_CHURN_RETRAIN", def: "720h", check: checkDurationOrZero,
		help: "how old the churn model may grow before the nightly run trains a new one first (0s: only on demand)"},
	{name: "recommend-at", env: "KEWEI_RECOMMEND_AT", def: "03:30", check: checkClock,
		help: "when serve retrains the next-purchase recommender each night (and once at start), or off"},
	{name: "escalate-after", env: "KEWEI_ESCALATE_AFTER", def: "48h", check: checkDurationOrZero,
		help: "how long a follow-up task may be overdue before it moves to the owner's manager (0s: never)"},
	{name: "webhook-url", env: "KEWEI_WEBHOOK_URL", def: "", check: checkOptionalURL,
		help: "where serve POSTs a signed reminder per due task (for an SMS or WeChat gateway); none when empty"},
	{name: "webhook-secret", env: "KEWEI_WEBHOOK_SECRET", def: "", secret: true,
		help: "the shared secret of the reminders' X-Kewei-Signature (HMAC-SHA256)"},
	{name: "smtp-url", env: "KEWEI_SMTP_URL", def: "", secret: true, check: checkSMTP,
		help: "the mail server for daily task digests, smtp://user:password@host:587?from=ADDRESS; none when empty"},
	{name: "metrics-token", env: "KEWEI_METRICS_TOKEN", def: "", secret: true,
		help: "a bearer token a Prometheus scraper sends for /metrics (administrators may read it signed in); none when empty"},
	{name: "log-level", env: "KEWEI_LOG_LEVEL", def: "info", check: checkLevel, help: "debug, info, warn or error"},
	{name: "log-format", env: "KEWEI_LOG_FORMAT", def: "text", check: checkFormat, help: "text or json"},
}

// Config holds the resolved values and where each came from.
type Config struct {
	values  map[string]string
	sources map[string]string
}

// addConfigFlags registers --config and every setting on fs.
func addConfigFlags(fs *flag.FlagSet) {
	fs.String("config", "", "a file of KEWEI_NAME=value lines (or set KEWEI_CONFIG)")
	for _, s := range settings {
		fs.String(s.name, "", s.help+" ("+s.env+", default "+s.def+")")
	}
}

// loadConfig resolves every setting after fs has parsed its arguments.
func loadConfig(fs *flag.FlagSet, getenv func(string) string) (*Config, error) {
	c := &Config{values: map[string]string{}, sources: map[string]string{}}
	for _, s := range settings {
		c.values[s.name], c.sources[s.name] = s.def, "default"
	}
	file := getenv("KEWEI_CONFIG")
	if f := fs.Lookup("config"); f != nil && f.Value.String() != "" {
		file = f.Value.String()
	}
	if file != "" {
		if err := c.readFile(file); err != nil {
			return nil, err
		}
	}
	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			c.values[s.name], c.sources[s.name] = v, s.env
		}
		if path := getenv(s.env + "_FILE"); path != "" && s.secret {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("%s_FILE: %w", s.env, err)
			}
			c.values[s.name], c.sources[s.name] = strings.TrimSpace(string(b)), s.env+"_FILE"
		}
	}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := c.values[f.Name]; ok {
			c.values[f.Name], c.sources[f.Name] = f.Value.String(), "--"+f.Name
		}
	})
	for _, s := range settings {
		if s.check == nil {
			continue
		}
		if err := s.check(c.values[s.name]); err != nil {
			return nil, fmt.Errorf("%s (from %s): %w", s.name, c.sources[s.name], err)
		}
	}
	return c, nil
}

func (c *Config) readFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	byEnv := map[string]string{}
	for _, s := range settings {
		byEnv[s.env] = s.name
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		name, known := byEnv[strings.TrimSpace(k)]
		if !ok || !known {
			return fmt.Errorf("%s:%d: want KEWEI_NAME=value with a known name, got %q", path, n, line)
		}
		c.values[name], c.sources[name] = strings.Trim(strings.TrimSpace(v), `"`), fmt.Sprintf("%s:%d", path, n)
	}
	return sc.Err()
}

// Get returns a setting's value.
func (c *Config) Get(name string) string { return c.values[name] }

// Duration returns a duration setting (checked at load).
func (c *Config) Duration(name string) time.Duration {
	d, _ := time.ParseDuration(c.values[name])
	return d
}

// Bool returns a boolean setting (checked at load).
func (c *Config) Bool(name string) bool {
	b, _ := strconv.ParseBool(c.values[name])
	return b
}

// Float returns a number setting (checked at load).
func (c *Config) Float(name string) float64 {
	f, _ := strconv.ParseFloat(c.values[name], 64)
	return f
}

// Location returns the installation's time zone (checked at load).
func (c *Config) Location() *time.Location {
	loc, _ := time.LoadLocation(c.values["timezone"])
	return loc
}

// print writes every setting with its source, secrets masked.
func (c *Config) print(w io.Writer) {
	names := make([]string, 0, len(settings))
	byName := map[string]setting{}
	for _, s := range settings {
		names = append(names, s.name)
		byName[s.name] = s
	}
	sort.Strings(names)
	for _, n := range names {
		v := c.values[n]
		if byName[n].secret {
			v = maskSecret(v)
		}
		fmt.Fprintf(w, "%-22s %-40s # %s\n", byName[n].env+"=", v, c.sources[n])
	}
}

// maskSecret hides the password of a URL, or everything of a non-URL secret
// longer than a path.
func maskSecret(v string) string {
	u, err := url.Parse(v)
	if err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return v
}

// Int returns a whole-number setting (checked when loaded).
func (c *Config) Int(name string) int {
	n, _ := strconv.Atoi(c.Get(name))
	return n
}
