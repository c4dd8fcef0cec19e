-- The customer archive, users and sign-in. Instants are Unix milliseconds
-- (UTC), dates are YYYY-MM-DD text, money is in hundredths, lists and maps
-- are JSON text. Ids are decided in Go.

CREATE TABLE id_nodes (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	next INTEGER NOT NULL
);
INSERT INTO id_nodes (id, next) VALUES (1, 0);

CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	name                 TEXT NOT NULL,
	display_name         TEXT NOT NULL,
	email                TEXT NOT NULL DEFAULT '',
	phone                TEXT NOT NULL DEFAULT '',
	role                 TEXT NOT NULL,
	locale               TEXT NOT NULL DEFAULT 'zh-CN',
	password_hash        TEXT NOT NULL DEFAULT '',
	must_change_password BOOLEAN NOT NULL DEFAULT false,
	disabled             BOOLEAN NOT NULL DEFAULT false,
	last_sign_in_at      INTEGER NOT NULL DEFAULT 0,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	version              INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_name_uq ON users (lower(name));

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	remote_addr  TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL,
	prefix       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	expires_at   INTEGER NOT NULL DEFAULT 0,
	revoked_at   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_tokens_hash_uq ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE custom_fields (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL,
	label_zh   TEXT NOT NULL,
	label_en   TEXT NOT NULL DEFAULT '',
	type       TEXT NOT NULL,
	choices    TEXT NOT NULL DEFAULT '[]',
	required   BOOLEAN NOT NULL DEFAULT false,
	sensitive  BOOLEAN NOT NULL DEFAULT false,
	position   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX custom_fields_key_uq ON custom_fields (key);

CREATE TABLE customers (
	id                INTEGER PRIMARY KEY,
	kind              TEXT NOT NULL,
	name              TEXT NOT NULL,
	name_pinyin       TEXT NOT NULL,
	external_id       TEXT,
	phones            TEXT NOT NULL DEFAULT '[]',
	email             TEXT NOT NULL DEFAULT '',
	wechat            TEXT NOT NULL DEFAULT '',
	company           TEXT NOT NULL DEFAULT '',
	industry          TEXT NOT NULL DEFAULT '',
	occupation        TEXT NOT NULL DEFAULT '',
	age_band          TEXT NOT NULL DEFAULT '',
	gender            TEXT NOT NULL DEFAULT '',
	province          TEXT NOT NULL DEFAULT '',
	city              TEXT NOT NULL DEFAULT '',
	district          TEXT NOT NULL DEFAULT '',
	address           TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL DEFAULT '',
	owner_id          INTEGER REFERENCES users (id),
	stage             TEXT NOT NULL,
	intent            TEXT NOT NULL DEFAULT '',
	tier              TEXT NOT NULL DEFAULT '',
	birthday          TEXT,
	important_dates   TEXT NOT NULL DEFAULT '[]',
	family            TEXT NOT NULL DEFAULT '[]',
	preferences       TEXT NOT NULL DEFAULT '',
	tags              TEXT NOT NULL DEFAULT '[]',
	custom            TEXT NOT NULL DEFAULT '{}',
	marketing_consent BOOLEAN NOT NULL DEFAULT false,
	last_contact_at   INTEGER NOT NULL DEFAULT 0,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	created_by        INTEGER NOT NULL DEFAULT 0,
	updated_by        INTEGER NOT NULL DEFAULT 0,
	version           INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX customers_external_id_uq ON customers (external_id) WHERE external_id IS NOT NULL;
-- Each filter's index ends with the default order (newest first), so a
-- filtered list reads its first page straight from the index; SQLite adds
-- the id to every index itself. Stage and source have a few large values:
-- their lists read the created_at index and stop at the page.
CREATE INDEX customers_owner ON customers (owner_id, created_at);
CREATE INDEX customers_tier ON customers (tier, created_at);
CREATE INDEX customers_intent ON customers (intent, created_at);
CREATE INDEX customers_province ON customers (province, created_at);
CREATE INDEX customers_city ON customers (city, created_at);
CREATE INDEX customers_created ON customers (created_at);
CREATE INDEX customers_last_contact ON customers (last_contact_at);
CREATE INDEX customers_pinyin ON customers (name_pinyin);

-- Tags are a plain table with covering indexes, so a bulk load appends rows
-- and builds the tag index once, sorted, at its end.
CREATE TABLE customer_tags (
	tag         TEXT NOT NULL,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE
);
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);
CREATE INDEX customer_tags_customer ON customer_tags (customer_id);

-- Search keys are derived from the customer's fields, so they are deleted
-- by key when the customer changes or goes, and need no index by customer.
-- A bulk load writes them in key order, building the table as it goes.
CREATE TABLE customer_search (
	key         TEXT NOT NULL,
	customer_id INTEGER NOT NULL,
	PRIMARY KEY (key, customer_id)
) WITHOUT ROWID;

CREATE TABLE contacts (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL,
	phones      TEXT NOT NULL DEFAULT '[]',
	email       TEXT NOT NULL DEFAULT '',
	wechat      TEXT NOT NULL DEFAULT '',
	birthday    TEXT,
	note        TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_customer ON contacts (customer_id, created_at, id);

CREATE TABLE holdings (
	id                INTEGER PRIMARY KEY,
	customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	product           TEXT NOT NULL,
	category          TEXT NOT NULL DEFAULT '',
	serial            TEXT NOT NULL DEFAULT '',
	value             INTEGER NOT NULL DEFAULT 0,
	status            TEXT NOT NULL,
	acquired_on       TEXT,
	first_service_due TEXT,
	renewal_due       TEXT,
	ended_on          TEXT,
	note              TEXT NOT NULL DEFAULT '',
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX holdings_customer ON holdings (customer_id, created_at, id);

CREATE TABLE transactions (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	occurred_at INTEGER NOT NULL,
	amount      INTEGER NOT NULL,
	profit      INTEGER,
	product     TEXT NOT NULL DEFAULT '',
	quantity    REAL NOT NULL DEFAULT 1,
	channel     TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	external_id TEXT,
	note        TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at, id);
CREATE UNIQUE INDEX transactions_external_uq ON transactions (customer_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE interactions (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	direction   TEXT NOT NULL,
	purpose     TEXT NOT NULL DEFAULT '',
	occurred_at INTEGER NOT NULL,
	user_id     INTEGER REFERENCES users (id),
	summary     TEXT NOT NULL,
	outcome     TEXT NOT NULL DEFAULT '',
	next_step   TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at, id);
