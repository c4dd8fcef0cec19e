package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestShedderBoundsTheQueue: with two slots and a queue of two, a burst of
// ten slow requests serves the first two, lets two wait their turn, and
// refuses the rest at once with 503 and Retry-After; probes pass.
func TestShedderBoundsTheQueue(t *testing.T) {
	release := make(chan struct{})
	var served atomic.Int32
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			<-release
		}
		served.Add(1)
	})
	var refused atomic.Int32
	s := newShedder(2, 2, 2*time.Second, func() { refused.Add(1) })
	srv := httptest.NewServer(s.handler(slow))
	defer srv.Close()
	var wg sync.WaitGroup
	codes := make(chan int, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/api/v1/customers")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "1" {
				t.Error("503 without Retry-After")
			}
			codes <- resp.StatusCode
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for refused.Load() < 6 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if resp, err := http.Get(srv.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("a probe was held: %v", err)
	}
	close(release)
	wg.Wait()
	close(codes)
	n := map[int]int{}
	for c := range codes {
		n[c]++
	}
	if n[200] != 4 || n[503] != 6 || refused.Load() != 6 {
		t.Errorf("codes %v, refused %d; want 4 served and 6 refused", n, refused.Load())
	}
}
