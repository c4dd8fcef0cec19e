-- Complaints and their history. The SLA clocks are computed from
-- received_at, the severity's targets, and the working time spent paused.
CREATE TABLE complaints (
	id                INTEGER PRIMARY KEY,
	customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	channel           TEXT NOT NULL,
	category          TEXT NOT NULL,
	severity          TEXT NOT NULL,
	words             TEXT NOT NULL,
	holding_id        INTEGER NOT NULL DEFAULT 0,
	status            TEXT NOT NULL,
	root_cause        TEXT NOT NULL DEFAULT '',
	corrective_action TEXT NOT NULL DEFAULT '',
	confirmation      TEXT NOT NULL DEFAULT '',
	assignee_id       INTEGER NOT NULL DEFAULT 0,
	escalation_level  INTEGER NOT NULL DEFAULT 0,
	received_at       INTEGER NOT NULL,
	acknowledged_at   INTEGER NOT NULL DEFAULT 0,
	resolved_at       INTEGER NOT NULL DEFAULT 0,
	closed_at         INTEGER NOT NULL DEFAULT 0,
	paused_ms         INTEGER NOT NULL DEFAULT 0,
	paused_since      INTEGER NOT NULL DEFAULT 0,
	created_by        INTEGER NOT NULL DEFAULT 0,
	version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_customer ON complaints (customer_id, received_at, id);
CREATE INDEX complaints_open ON complaints (status, received_at);

CREATE TABLE complaint_events (
	id           INTEGER PRIMARY KEY,
	complaint_id INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
	customer_id  INTEGER NOT NULL,
	action       TEXT NOT NULL,
	from_status  TEXT NOT NULL,
	to_status    TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	actor_id     INTEGER NOT NULL DEFAULT 0,
	at           INTEGER NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at, id);
CREATE INDEX complaint_events_customer ON complaint_events (customer_id, at, id);

-- The root-cause taxonomy a complaint must be closed with.
CREATE TABLE root_causes (
	name     TEXT PRIMARY KEY,
	position INTEGER NOT NULL
);
INSERT INTO root_causes (name, position) VALUES ('产品质量', 1), ('服务态度', 2), ('交付延误', 3), ('价格争议', 4), ('沟通不当', 5), ('流程问题', 6), ('其他', 7);

-- After-sales service: maintenance, repairs, on-site visits.
CREATE TABLE service_records (
	id           INTEGER PRIMARY KEY,
	customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	holding_id   INTEGER NOT NULL DEFAULT 0,
	kind         TEXT NOT NULL,
	performed_at INTEGER NOT NULL,
	summary      TEXT NOT NULL,
	cost         INTEGER NOT NULL DEFAULT 0,
	user_id      INTEGER REFERENCES users (id),
	note         TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_records_customer ON service_records (customer_id, performed_at, id);

-- Satisfaction surveys, the single-use links sent to customers, and the
-- answers.
CREATE TABLE surveys (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	items   TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO surveys (id, name, items) VALUES (1, '销售与服务满意度',
	'[{"key":"reception","text":"接待是否热情周到"},{"key":"expertise","text":"讲解是否专业清楚"},{"key":"delivery","text":"交车/办理流程是否顺畅"},{"key":"after_sales","text":"售后响应是否及时"}]');

CREATE TABLE survey_invites (
	id          INTEGER PRIMARY KEY,
	survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	token_hash  TEXT NOT NULL,
	expires_at  INTEGER NOT NULL,
	used_at     INTEGER NOT NULL DEFAULT 0,
	created_by  INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX survey_invites_token ON survey_invites (token_hash);

CREATE TABLE survey_responses (
	id          INTEGER PRIMARY KEY,
	invite_id   INTEGER NOT NULL,
	survey_id   INTEGER NOT NULL,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	owner_id    INTEGER NOT NULL DEFAULT 0,
	answers     TEXT NOT NULL,
	csat        INTEGER NOT NULL,
	nps         INTEGER NOT NULL,
	gap         REAL NOT NULL,
	comment     TEXT NOT NULL DEFAULT '',
	at          INTEGER NOT NULL
);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id, at, id);
CREATE INDEX survey_responses_at ON survey_responses (at);
