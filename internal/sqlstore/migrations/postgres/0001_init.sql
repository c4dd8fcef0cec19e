-- The customer archive, users and sign-in. Instants are Unix milliseconds
-- (UTC), dates are DATE, money is in hundredths, lists and maps
-- are JSON text. Ids are decided in Go.

CREATE TABLE id_nodes (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	next BIGINT NOT NULL
);
INSERT INTO id_nodes (id, next) VALUES (1, 0);

CREATE TABLE users (
	id                   BIGINT PRIMARY KEY,
	name                 TEXT NOT NULL,
	display_name         TEXT NOT NULL,
	email                TEXT NOT NULL DEFAULT '',
	phone                TEXT NOT NULL DEFAULT '',
	role                 TEXT NOT NULL,
	locale               TEXT NOT NULL DEFAULT 'zh-CN',
	password_hash        TEXT NOT NULL DEFAULT '',
	must_change_password BOOLEAN NOT NULL DEFAULT false,
	disabled             BOOLEAN NOT NULL DEFAULT false,
	last_sign_in_at      BIGINT NOT NULL DEFAULT 0,
	created_at           BIGINT NOT NULL,
	updated_at           BIGINT NOT NULL,
	version              BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_name_uq ON users (lower(name));

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	remote_addr  TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           BIGINT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL,
	prefix       TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	expires_at   BIGINT NOT NULL DEFAULT 0,
	revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_tokens_hash_uq ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE custom_fields (
	id         BIGINT PRIMARY KEY,
	key        TEXT NOT NULL,
	label_zh   TEXT NOT NULL,
	label_en   TEXT NOT NULL DEFAULT '',
	type       TEXT NOT NULL,
	choices    TEXT NOT NULL DEFAULT '[]',
	required   BOOLEAN NOT NULL DEFAULT false,
	sensitive  BOOLEAN NOT NULL DEFAULT false,
	position   BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX custom_fields_key_uq ON custom_fields (key);

CREATE TABLE customers (
	id                BIGINT PRIMARY KEY,
	kind              TEXT NOT NULL,
	name              TEXT NOT NULL,
	name_pinyin       TEXT COLLATE "C" NOT NULL,
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
	owner_id          BIGINT REFERENCES users (id),
	stage             TEXT NOT NULL,
	intent            TEXT NOT NULL DEFAULT '',
	tier              TEXT NOT NULL DEFAULT '',
	birthday          DATE,
	important_dates   TEXT NOT NULL DEFAULT '[]',
	family            TEXT NOT NULL DEFAULT '[]',
	preferences       TEXT NOT NULL DEFAULT '',
	tags              TEXT NOT NULL DEFAULT '[]',
	custom            TEXT NOT NULL DEFAULT '{}',
	marketing_consent BOOLEAN NOT NULL DEFAULT false,
	last_contact_at   BIGINT NOT NULL DEFAULT 0,
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL,
	created_by        BIGINT NOT NULL DEFAULT 0,
	updated_by        BIGINT NOT NULL DEFAULT 0,
	version           BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX customers_external_id_uq ON customers (external_id) WHERE external_id IS NOT NULL;
-- Each filter's index ends with the default order (newest first), so a
-- filtered list reads its first page straight from the index. Stage and
-- source have a few large values: their lists read the created_at index and
-- stop at the page.
CREATE INDEX customers_owner ON customers (owner_id, created_at, id);
CREATE INDEX customers_tier ON customers (tier, created_at, id);
CREATE INDEX customers_intent ON customers (intent, created_at, id);
CREATE INDEX customers_province ON customers (province, created_at, id);
CREATE INDEX customers_city ON customers (city, created_at, id);
CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_last_contact ON customers (last_contact_at, id);
CREATE INDEX customers_pinyin ON customers (name_pinyin, id);

-- Tags are a plain table with covering indexes, so a bulk load appends rows
-- and builds the tag index once, sorted, at its end.
CREATE TABLE customer_tags (
	tag         TEXT COLLATE "C" NOT NULL,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE
);
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);
CREATE INDEX customer_tags_customer ON customer_tags (customer_id);

-- Search keys are derived from the customer's fields, so they are deleted
-- by key when the customer changes or goes, and need no index by customer.
-- A bulk load writes them in key order, building the table as it goes.
CREATE TABLE customer_search (
	key         TEXT COLLATE "C" NOT NULL,
	customer_id BIGINT NOT NULL,
	PRIMARY KEY (key, customer_id)
);

CREATE TABLE contacts (
	id          BIGINT PRIMARY KEY,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL,
	phones      TEXT NOT NULL DEFAULT '[]',
	email       TEXT NOT NULL DEFAULT '',
	wechat      TEXT NOT NULL DEFAULT '',
	birthday    DATE,
	note        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contacts_customer ON contacts (customer_id, created_at, id);

CREATE TABLE holdings (
	id                BIGINT PRIMARY KEY,
	customer_id       BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	product           TEXT NOT NULL,
	category          TEXT NOT NULL DEFAULT '',
	serial            TEXT NOT NULL DEFAULT '',
	value             BIGINT NOT NULL DEFAULT 0,
	status            TEXT NOT NULL,
	acquired_on       DATE,
	first_service_due DATE,
	renewal_due       DATE,
	ended_on          DATE,
	note              TEXT NOT NULL DEFAULT '',
	created_at        BIGINT NOT NULL,
	updated_at        BIGINT NOT NULL,
	version           BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX holdings_customer ON holdings (customer_id, created_at, id);

CREATE TABLE transactions (
	id          BIGINT PRIMARY KEY,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	occurred_at BIGINT NOT NULL,
	amount      BIGINT NOT NULL,
	profit      BIGINT,
	product     TEXT NOT NULL DEFAULT '',
	quantity    DOUBLE PRECISION NOT NULL DEFAULT 1,
	channel     TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	external_id TEXT,
	note        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at, id);
CREATE UNIQUE INDEX transactions_external_uq ON transactions (customer_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE interactions (
	id          BIGINT PRIMARY KEY,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	direction   TEXT NOT NULL,
	purpose     TEXT NOT NULL DEFAULT '',
	occurred_at BIGINT NOT NULL,
	user_id     BIGINT REFERENCES users (id),
	summary     TEXT NOT NULL,
	outcome     TEXT NOT NULL DEFAULT '',
	next_step   TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at, id);
