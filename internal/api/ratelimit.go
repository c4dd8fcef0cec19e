package api

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// limiter is a token bucket per key (a client address): rate tokens a second
// up to burst. Buckets idle for ten minutes are forgotten.
type limiter struct {
	mu        sync.Mutex
	rate      float64
	burst     float64
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// clientAddr is the address a request came from, without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limited answers 429 when the client has used up its requests, and
// reports whether it did.
func (s *Server) limited(w http.ResponseWriter, r *http.Request) bool {
	if s.limit == nil {
		return false
	}
	l := s.limit
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/auth/signin" {
		l = s.signInLimit
	}
	ok, wait := l.allow(clientAddr(r), time.Now())
	if ok {
		return false
	}
	s.writeError(w, r, &kewei.Error{Code: kewei.ETOOMANY, RetryAfter: wait,
		Message: "too many requests from your address; slow down and try again shortly"})
	return true
}
