// Package progress shows how far long work has got: a line redrawn in place
// on a terminal, a line every few seconds in a log.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Bar reports progress of work with a known total.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int
	done     int
	start    time.Time
	last     time.Time
	share    float64 // of the work done, when the total is not known in units
	terminal bool
	every    time.Duration
}

// New returns a bar for total units of work labelled label, drawn on w.
func New(w io.Writer, label string, total int) *Bar {
	b := &Bar{w: w, label: label, total: total, start: time.Now(), every: 5 * time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.terminal, b.every = true, 200*time.Millisecond
		}
	}
	return b
}

// Add records n more units done and redraws when it is time to.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if now := time.Now(); now.Sub(b.last) >= b.every {
		b.last = now
		b.draw(false)
	}
}

// Set records the units done so far and, for work whose total is not known
// in units (total 0), the share of it done, from 0 to 1.
func (b *Bar) Set(done int, share float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done, b.share = done, share
	if now := time.Now(); now.Sub(b.last) >= b.every {
		b.last = now
		b.draw(false)
	}
}

// Done draws the final state and ends the line.
func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw(true)
}

func (b *Bar) draw(final bool) {
	el := time.Since(b.start)
	rate := float64(b.done) / max(el.Seconds(), 0.001)
	pct := 100.0
	if b.total > 0 {
		pct = 100 * float64(b.done) / float64(b.total)
	} else if !final {
		pct = 100 * b.share
	}
	eta := ""
	switch {
	case final:
	case b.total > b.done && rate > 0:
		eta = fmt.Sprintf(", %s left", (time.Duration(float64(b.total-b.done)/rate) * time.Second).Round(time.Second))
	case b.total == 0 && b.share > 0 && b.share < 1:
		eta = fmt.Sprintf(", %s left", time.Duration(float64(el)*(1-b.share)/b.share).Round(time.Second))
	}
	count := fmt.Sprintf("%d/%d", b.done, b.total)
	if b.total == 0 {
		count = fmt.Sprint(b.done)
	}
	line := fmt.Sprintf("%s %s (%.0f%%) %.0f/s, %s%s", b.label, count, pct, rate, el.Round(time.Second), eta)
	switch {
	case b.terminal && final:
		fmt.Fprintf(b.w, "\r\033[K%s\n", line)
	case b.terminal:
		fmt.Fprintf(b.w, "\r\033[K%s", line)
	default:
		fmt.Fprintln(b.w, line)
	}
}
