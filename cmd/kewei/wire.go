package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/wire"
)

// openStore opens the configured database. PostgreSQL is migrated only when
// migrate is set; SQLite always.
func openStore(ctx context.Context, cfg *Config, migrate bool) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, cfg.Get("db"), sqlstore.Options{Migrate: migrate})
}

// services wires the store into the API's services.
func services(db *sqlstore.DB, cfg *Config) api.Services {
	return wire.Services(db, cfg.Duration("session-ttl"), cfg.Location())
}

// logger returns the configured structured logger.
func logger(cfg *Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Get("log-level")))
	opt := &slog.HandlerOptions{Level: level}
	if cfg.Get("log-format") == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opt))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opt))
}

// system is the context for operator commands: they act as the system.
func system(ctx context.Context) context.Context { return kewei.WithActor(ctx, kewei.SystemActor) }
