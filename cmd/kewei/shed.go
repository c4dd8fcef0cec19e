package main

import (
	"net/http"
	"strings"
	"time"
)

// shedder bounds the requests served at once. A request beyond the limit
// waits for a slot for a short while in a bounded queue; when the queue is
// full or the wait runs out it is refused with 503 and Retry-After, so
// under too much load the requests that are served stay fast instead of
// every request growing slow. Probes and metrics are never held.
type shedder struct {
	slots chan struct{}
	queue chan struct{}
	wait  time.Duration
	shed  func() // counts a refusal
}

func newShedder(inFlight, queued int, wait time.Duration, shed func()) *shedder {
	return &shedder{slots: make(chan struct{}, inFlight), queue: make(chan struct{}, queued), wait: wait, shed: shed}
}

func (s *shedder) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "/healthz" || p == "/readyz" || p == "/metrics" || strings.HasPrefix(p, "/static/") {
			h.ServeHTTP(w, r)
			return
		}
		select {
		case s.slots <- struct{}{}:
		default:
			if !s.enqueue(r) {
				if s.shed != nil {
					s.shed()
				}
				w.Header().Set("Retry-After", "1")
				http.Error(w, `{"code":"unavailable","message":"the server is busy; try again in a second"}`, http.StatusServiceUnavailable)
				return
			}
		}
		defer func() { <-s.slots }()
		h.ServeHTTP(w, r)
	})
}

// enqueue waits in the queue for a slot, and reports whether it got one.
func (s *shedder) enqueue(r *http.Request) bool {
	select {
	case s.queue <- struct{}{}:
	default:
		return false
	}
	defer func() { <-s.queue }()
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}
