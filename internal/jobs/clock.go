package jobs

import (
	"fmt"
	"time"
)

// ParseClock reads a time of day such as 02:00; "off" gives hour -1.
func ParseClock(s string) (hour, minute int, err error) {
	if s == "off" {
		return -1, -1, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a time of day such as 02:00, nor off", s)
	}
	return t.Hour(), t.Minute(), nil
}
