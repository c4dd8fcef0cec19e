-- Tier rules an administrator sets per business line.
CREATE TABLE tier_rules (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	line          TEXT NOT NULL DEFAULT '',
	method        TEXT NOT NULL,
	metric        TEXT NOT NULL,
	window_months INTEGER NOT NULL DEFAULT 12,
	share_a       REAL NOT NULL DEFAULT 0,
	share_b       REAL NOT NULL DEFAULT 0,
	share_c       REAL NOT NULL DEFAULT 0,
	bands         TEXT NOT NULL DEFAULT '[]',
	category      TEXT NOT NULL DEFAULT '',
	field         TEXT NOT NULL DEFAULT '',
	enabled       BOOLEAN NOT NULL DEFAULT true,
	labels        TEXT NOT NULL DEFAULT '{}',
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
);

-- What the last re-tiering found for each customer: the tier, the rule
-- that gave it, and the RFM scores.
CREATE TABLE customer_values (
	customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
	tier        TEXT NOT NULL,
	rule_id     INTEGER NOT NULL DEFAULT 0,
	value       REAL NOT NULL DEFAULT 0,
	revenue     INTEGER NOT NULL DEFAULT 0,
	profit      INTEGER NOT NULL DEFAULT 0,
	frequency   INTEGER NOT NULL DEFAULT 0,
	last_at     INTEGER NOT NULL DEFAULT 0,
	r           INTEGER NOT NULL DEFAULT 0,
	f           INTEGER NOT NULL DEFAULT 0,
	m           INTEGER NOT NULL DEFAULT 0,
	segment     TEXT NOT NULL DEFAULT ''
);

-- Manual tiers with a reason and an expiry; ended_at is set when lifted.
CREATE TABLE tier_overrides (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	tier        TEXT NOT NULL,
	reason      TEXT NOT NULL,
	expires_on  TEXT NOT NULL,
	actor_id    INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	ended_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tier_overrides_customer ON tier_overrides (customer_id, created_at);

-- Each customer's tier history; playbooks read the newest rows as events.
CREATE TABLE tier_changes (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	from_tier   TEXT NOT NULL,
	to_tier     TEXT NOT NULL,
	rule_id     INTEGER NOT NULL DEFAULT 0,
	source      TEXT NOT NULL,
	run_id      INTEGER NOT NULL DEFAULT 0,
	at          INTEGER NOT NULL
);
CREATE INDEX tier_changes_customer ON tier_changes (customer_id, at, id);
CREATE INDEX tier_changes_at ON tier_changes (at, id);

-- Re-tiering runs, with their progress.
CREATE TABLE tier_runs (
	id          INTEGER PRIMARY KEY,
	as_of       TEXT NOT NULL,
	window_months INTEGER NOT NULL,
	status      TEXT NOT NULL,
	customers   INTEGER NOT NULL DEFAULT 0,
	changed     INTEGER NOT NULL DEFAULT 0,
	step        TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '',
	actor_id    INTEGER NOT NULL DEFAULT 0,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL DEFAULT 0
);
