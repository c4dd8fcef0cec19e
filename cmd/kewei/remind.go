package main

import (
	"log/slog"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/notify"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// reminders returns the sender of task reminders the configuration asks
// for, or nil when neither a webhook nor a mail server is set.
func reminders(cfg *Config, db *sqlstore.DB, log *slog.Logger) (*notify.Sender, error) {
	s := &notify.Sender{Store: sqlstore.NewNotificationService(db), WebhookURL: cfg.Get("webhook-url"),
		WebhookSecret: cfg.Get("webhook-secret"), Location: cfg.Location(), Logger: log, Surveys: sqlstore.NewSurveyService(db)}
	if v := cfg.Get("smtp-url"); v != "" {
		m, err := notify.ParseSMTP(v)
		if err != nil {
			return nil, err
		}
		s.Mail = m
	}
	if s.WebhookURL == "" && s.Mail == nil {
		return nil, nil
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s.Label = func(locale string, k kewei.InteractionKind) string {
		return cats.For(i18n.Match(locale)).T("interaction." + string(k))
	}
	return s, nil
}
