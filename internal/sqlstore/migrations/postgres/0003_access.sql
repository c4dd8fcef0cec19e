-- Who may see what: teams, data scopes per role and object, the hash-chained
-- audit log, the consent ledger and erasure tombstones, and what sign-in
-- hardening needs on users.

CREATE TABLE teams (
	id         BIGINT PRIMARY KEY,
	name       TEXT NOT NULL,
	parent_id  BIGINT REFERENCES teams (id),
	manager_id BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX teams_name_uq ON teams (name);

ALTER TABLE users ADD COLUMN team_id BIGINT REFERENCES teams (id);
ALTER TABLE users ADD COLUMN failed_signins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX users_team ON users (team_id);

-- The data scope of each role on each object: own, team, all or none.
CREATE TABLE role_scopes (
	role   TEXT NOT NULL,
	object TEXT NOT NULL,
	scope  TEXT NOT NULL,
	PRIMARY KEY (role, object)
);
INSERT INTO role_scopes (role, object, scope) VALUES
	('administrator', 'customers', 'all'), ('administrator', 'pii', 'none'), ('administrator', 'audit', 'all'),
	('manager', 'customers', 'team'), ('manager', 'pii', 'team'), ('manager', 'audit', 'none'),
	('consultant', 'customers', 'own'), ('consultant', 'pii', 'own'), ('consultant', 'audit', 'none'),
	('service', 'customers', 'all'), ('service', 'pii', 'all'), ('service', 'audit', 'none'),
	('auditor', 'customers', 'none'), ('auditor', 'pii', 'none'), ('auditor', 'audit', 'all');

-- The audit log is append-only: each entry carries the hash of the one
-- before it. What changed is kept beside it in audit_payloads, hashed into
-- the entry, so that erasing a person can blank a payload without breaking
-- the chain.
CREATE TABLE audit_log (
	seq          BIGINT PRIMARY KEY,
	at           BIGINT NOT NULL,
	actor_id     BIGINT NOT NULL,
	actor_name   TEXT NOT NULL,
	remote_addr  TEXT NOT NULL,
	action       TEXT NOT NULL,
	object_type  TEXT NOT NULL,
	object_id    BIGINT NOT NULL,
	customer_id  BIGINT NOT NULL,
	payload_hash TEXT NOT NULL,
	prev_hash    TEXT NOT NULL,
	hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_customer ON audit_log (customer_id, seq);

CREATE TABLE audit_payloads (
	seq     BIGINT PRIMARY KEY,
	payload TEXT NOT NULL,
	erased  BOOLEAN NOT NULL DEFAULT false
);

CREATE FUNCTION kewei_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'audit_payloads' AND TG_OP = 'UPDATE'
		AND NEW.erased AND NEW.payload = '{"erased":true}' AND NEW.seq = OLD.seq THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION kewei_audit_append_only();
CREATE TRIGGER audit_payloads_append_only BEFORE UPDATE OR DELETE ON audit_payloads
	FOR EACH ROW EXECUTE FUNCTION kewei_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION kewei_audit_append_only();

-- Consent per customer and channel: every change is a new row; the latest
-- row of a channel is the customer's current answer.
CREATE TABLE consents (
	id          BIGINT PRIMARY KEY,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	channel     TEXT NOT NULL,
	granted     BOOLEAN NOT NULL,
	source      TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	at          BIGINT NOT NULL,
	actor_id    BIGINT NOT NULL
);
CREATE INDEX consents_customer ON consents (customer_id, channel, at);

-- Tombstones of erased persons: salted hashes of what identified them, so a
-- restored backup or a new import cannot bring them back.
CREATE TABLE erasures (
	customer_id BIGINT PRIMARY KEY,
	at          BIGINT NOT NULL,
	actor_id    BIGINT NOT NULL,
	reason      TEXT NOT NULL,
	identifiers TEXT NOT NULL
);
ALTER TABLE customers ADD COLUMN erased_at BIGINT NOT NULL DEFAULT 0;

-- Installation settings kept in the database.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('erasure_salt', md5(random()::text || clock_timestamp()::text));

-- The search keys again, by owner, so that a search within a consultant's or
-- a team's customers seeks their owners' keys instead of walking everyone's.
CREATE TABLE customer_search_owner (
	owner_id    BIGINT NOT NULL,
	key         TEXT COLLATE "C" NOT NULL,
	customer_id BIGINT NOT NULL,
	PRIMARY KEY (owner_id, key, customer_id)
);
INSERT INTO customer_search_owner (owner_id, key, customer_id)
	SELECT COALESCE(c.owner_id, 0), s.key, s.customer_id FROM customer_search s JOIN customers c ON c.id = s.customer_id;
