package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/monitor"
	"github.com/kewei-crm/kewei/internal/password"
	"github.com/kewei-crm/kewei/internal/ui"
)

func runServe(ctx context.Context, e *env, args []string) error {
	cfg, err := parse(e, newFlags(e, "serve"), args)
	if err != nil {
		return err
	}
	log := logger(cfg)
	// A CPU profile of the whole serve, for the load bench (not a setting:
	// an operator's tool, written when serve stops).
	if path := e.getenv("KEWEI_CPU_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := services(db, cfg)
	if err := firstAdmin(ctx, e, svc.Users); err != nil {
		return err
	}
	mon, _ := svc.Status.(*monitor.Monitor)
	opt := api.Options{Logger: log, Location: cfg.Location(), SecureCookies: cfg.Bool("secure-cookies"),
		SessionTTL: cfg.Duration("session-ttl"), RateLimit: cfg.Float("rate-limit"), MetricsToken: cfg.Get("metrics-token")}
	if mon != nil {
		opt.Observe, opt.Metrics = mon.Observe, mon.Registry
	}
	apiServer := api.New(svc, opt)
	var pages http.Handler
	pages, err = ui.New(svc, ui.Options{Logger: log, Location: cfg.Location(), SecureCookies: cfg.Bool("secure-cookies")})
	if err != nil {
		return err
	}
	if mon != nil {
		pages = mon.Pages(pages)
	}
	ln, err := net.Listen("tcp", cfg.Get("addr"))
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Get("addr"), err)
	}
	var shed func()
	if mon != nil {
		shed = mon.Shed
	}
	shedder := newShedder(cfg.Int("max-requests"), cfg.Int("max-queue"), cfg.Duration("queue-wait"), shed)
	srv := &http.Server{
		Handler:           shedder.handler(handler(routes(apiServer, pages), cfg.Bool("secure-cookies"))),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          nil,
	}
	fmt.Fprintf(e.stdout, "Kewei %s is serving on http://%s (database %s)\n", kewei.Version, ln.Addr(), db.Driver())
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	runner, err := startJobs(ctx, cfg, db, svc, log, mon)
	if err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := runner.Stop(stopCtx); err != nil {
			log.Error("stopping the job queue", "err", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stdout, "Shutting down: finishing requests in flight …")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if c, ok := svc.Imports.(interface{ Close() }); ok {
		fmt.Fprintln(e.stdout, "Stopping imports after their current batch; import the same file again to resume …")
		c.Close()
	}
	if c, ok := svc.Tiers.(interface{ Close() }); ok {
		c.Close()
	}
	return nil
}

// routes sends the API's paths to the API and everything else to the pages.
func routes(apiServer, pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", apiServer)
	mux.Handle("/healthz", apiServer)
	mux.Handle("/readyz", apiServer)
	mux.Handle("/metrics", apiServer)
	mux.Handle("/", pages)
	return mux
}

// handler puts cross-origin protection and security headers in front of
// everything the server serves.
func handler(h http.Handler, https bool) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if https {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	}))
}

// firstAdmin creates the administrator on a database without users and
// prints the one-time password.
func firstAdmin(ctx context.Context, e *env, users kewei.UserService) error {
	n, err := users.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := password.Random(16)
	u := &kewei.User{Name: "admin", DisplayName: "管理员", Role: kewei.RoleAdministrator, MustChangePassword: true}
	if err := users.CreateUser(system(ctx), u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "First start: created the administrator %q with the one-time password %s\n", u.Name, pw)
	fmt.Fprintln(e.stdout, "Sign in with it and choose your own password; it is not shown again.")
	return nil
}
