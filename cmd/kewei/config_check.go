package main

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei/internal/jobs"
	"github.com/kewei-crm/kewei/internal/notify"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

func checkDSN(v string) error {
	_, err := sqlstore.ParseDSN(v)
	return err
}

func checkZone(v string) error {
	if _, err := time.LoadLocation(v); err != nil {
		return fmt.Errorf("unknown time zone %q (use an IANA name such as Asia/Shanghai)", v)
	}
	return nil
}

func checkDuration(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q is not a positive duration such as 12h or 30m", v)
	}
	return nil
}

func checkBool(v string) error {
	if _, err := strconv.ParseBool(v); err != nil {
		return fmt.Errorf("%q is not true or false", v)
	}
	return nil
}

func checkLevel(v string) error {
	switch v {
	case "debug", "info", "warn", "error":
		return nil
	}
	return fmt.Errorf("%q is not debug, info, warn or error", v)
}

func checkFormat(v string) error {
	if v != "text" && v != "json" {
		return fmt.Errorf("%q is not text or json", v)
	}
	return nil
}

func checkRate(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 {
		return fmt.Errorf("%q is not a number of requests a second (0 turns limits off)", v)
	}
	return nil
}

func checkClock(v string) error {
	if _, _, err := jobs.ParseClock(v); err != nil {
		return err
	}
	return nil
}

// checkDurationOrZero allows 0s, meaning "never".
func checkDurationOrZero(v string) error {
	if d, err := time.ParseDuration(v); err != nil || d < 0 {
		return fmt.Errorf("%q is not a duration such as 48h, or 0s for never", v)
	}
	return nil
}

func checkOptionalURL(v string) error {
	if v == "" {
		return nil
	}
	if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", v)
	}
	return nil
}

func checkSMTP(v string) error {
	if v == "" {
		return nil
	}
	_, err := notify.ParseSMTP(v)
	return err
}

func checkCount(v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 1 {
		return fmt.Errorf("%q is not a whole number of at least 1", v)
	}
	return nil
}
