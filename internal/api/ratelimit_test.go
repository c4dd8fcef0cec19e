package api_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/wire"
)

func TestRateLimits(t *testing.T) {
	db := sqltest.MustOpen(t, "sqlite")
	a := api.New(wire.Services(db, time.Hour, nil), api.Options{Logger: slog.New(slog.DiscardHandler), RateLimit: 5})
	srv := httptest.NewServer(a)
	defer srv.Close()
	statuses := map[int]int{}
	var retry string
	for i := 0; i < 15; i++ {
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses[resp.StatusCode]++
		if resp.StatusCode == 429 {
			retry = resp.Header.Get("Retry-After")
		}
	}
	if statuses[200] < 10 || statuses[200] > 11 || statuses[429] < 4 || retry == "" {
		t.Fatalf("a burst of 10 then refusals: %v, Retry-After %q", statuses, retry)
	}
	// Sign-in has its own, tighter limit: ten a minute.
	a = api.New(wire.Services(db, time.Hour, nil), api.Options{Logger: slog.New(slog.DiscardHandler), RateLimit: 1000})
	srv2 := httptest.NewServer(a)
	defer srv2.Close()
	var last int
	for i := 0; i < 11; i++ {
		resp, err := http.Post(srv2.URL+"/api/v1/auth/signin", "application/json",
			strings.NewReader(`{"name":"guess`+string(rune('a'+i))+`","password":"wrong password"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != 429 {
		t.Fatalf("the 11th sign-in in a minute: %d", last)
	}
}
