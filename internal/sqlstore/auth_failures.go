package sqlstore

import (
	"sync"
	"time"
)

// failures counts failed sign-ins under names that do not exist, in memory
// and bounded: when full, what is older than an hour is forgotten, and if
// that is not enough, everything.
type failures struct {
	mu   sync.Mutex
	max  int
	seen map[string]failure
}

type failure struct {
	n    int
	last time.Time
}

func newFailures(max int) *failures { return &failures{max: max, seen: map[string]failure{}} }

func (f *failures) get(name string) (int, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	x := f.seen[name]
	return x.n, x.last
}

func (f *failures) add(name string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) >= f.max {
		for k, v := range f.seen {
			if now.Sub(v.last) > time.Hour {
				delete(f.seen, k)
			}
		}
		if len(f.seen) >= f.max {
			clear(f.seen)
		}
	}
	x := f.seen[name]
	f.seen[name] = failure{n: x.n + 1, last: now}
}
