-- Maintenance playbooks: their audience and steps as JSON, each save a
-- new version kept in playbook_versions.
CREATE TABLE playbooks (
	id          BIGINT PRIMARY KEY,
	template    TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	enabled     BOOLEAN NOT NULL DEFAULT false,
	audience    TEXT NOT NULL DEFAULT '{}',
	steps       TEXT NOT NULL DEFAULT '[]',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE playbook_versions (
	playbook_id BIGINT NOT NULL,
	version     INTEGER NOT NULL,
	body        TEXT NOT NULL,
	actor_id    BIGINT NOT NULL DEFAULT 0,
	at          BIGINT NOT NULL,
	PRIMARY KEY (playbook_id, version)
);

-- Follow-up tasks: one per customer, playbook step and anchor date, however
-- often and by however many processes the planner runs.
CREATE TABLE tasks (
	id             BIGINT PRIMARY KEY,
	customer_id    BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	playbook_id    BIGINT NOT NULL,
	step_key       TEXT NOT NULL,
	anchor         TEXT NOT NULL,
	due_at         BIGINT NOT NULL,
	assignee_id    BIGINT NOT NULL DEFAULT 0,
	assignee_role  TEXT NOT NULL,
	action         TEXT NOT NULL,
	talking_points TEXT NOT NULL DEFAULT '',
	survey_id      BIGINT NOT NULL DEFAULT 0,
	status         TEXT NOT NULL DEFAULT 'open',
	skip_reason    TEXT NOT NULL DEFAULT '',
	done_at        BIGINT NOT NULL DEFAULT 0,
	interaction_id BIGINT NOT NULL DEFAULT 0,
	escalated_at   BIGINT NOT NULL DEFAULT 0,
	created_at     BIGINT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX tasks_uq ON tasks (customer_id, playbook_id, step_key, anchor);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_at);
CREATE INDEX tasks_due ON tasks (status, due_at);

-- Each user's private calendar feed of their tasks: the token is shown once
-- and kept hashed; making a new one ends the old.
CREATE TABLE calendar_feeds (
	user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);

-- The shared pool (公海): customers nobody kept up with return to it by the
-- rules in pool_settings; anyone may claim them, up to a daily cap, except
-- their previous owner during the lock-out.
CREATE TABLE pool_settings (
	id           INTEGER PRIMARY KEY,
	rules        TEXT NOT NULL DEFAULT '{}',
	claim_cap    INTEGER NOT NULL DEFAULT 10,
	lockout_days INTEGER NOT NULL DEFAULT 30,
	updated_at   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE pool_entries (
	customer_id       BIGINT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
	previous_owner_id BIGINT NOT NULL DEFAULT 0,
	pooled_at         BIGINT NOT NULL
);

CREATE TABLE pool_claims (
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	user_id     BIGINT NOT NULL,
	at          BIGINT NOT NULL
);
CREATE INDEX pool_claims_user ON pool_claims (user_id, at);

-- Official holiday dates an administrator set for a year, over the ones
-- Kewei computes (the State Council's yearly notice can move a day).
CREATE TABLE holiday_dates (
	year INTEGER NOT NULL,
	key  TEXT NOT NULL,
	day  TEXT NOT NULL,
	PRIMARY KEY (year, key)
);

-- Reminders waiting to go out (a webhook call, an email), retried with
-- backoff until sent or given up; the key keeps each reminder single.
CREATE TABLE notifications (
	id         BIGINT PRIMARY KEY,
	dedupe_key TEXT NOT NULL,
	channel    TEXT NOT NULL,
	target     TEXT NOT NULL,
	subject    TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'pending',
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    BIGINT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	sent_at    BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX notifications_key ON notifications (dedupe_key);
CREATE INDEX notifications_due ON notifications (status, next_at);
