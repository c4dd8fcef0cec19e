-- The sales pipeline: editable stages, the opportunities moving through
-- them, and the contracts they end in.
CREATE TABLE pipeline_stages (
	id          BIGINT PRIMARY KEY,
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	probability INTEGER NOT NULL,
	kind        TEXT NOT NULL
);
INSERT INTO pipeline_stages (id, position, name, name_en, probability, kind) VALUES
	(1, 1, '初步接洽', 'First contact', 10, 'open'),
	(2, 2, '需求确认', 'Needs confirmed', 30, 'open'),
	(3, 3, '方案报价', 'Proposal', 50, 'open'),
	(4, 4, '商务谈判', 'Negotiation', 70, 'open'),
	(5, 5, '赢单', 'Won', 100, 'won'),
	(6, 6, '输单', 'Lost', 0, 'lost');

CREATE TABLE opportunities (
	id             BIGINT PRIMARY KEY,
	customer_id    BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	owner_id       BIGINT REFERENCES users (id),
	name           TEXT NOT NULL,
	stage_id       BIGINT NOT NULL REFERENCES pipeline_stages (id),
	amount         BIGINT NOT NULL DEFAULT 0,
	expected_close DATE,
	probability    INTEGER NOT NULL,
	campaign_id    BIGINT NOT NULL DEFAULT 0,
	note           TEXT NOT NULL DEFAULT '',
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL,
	closed_at      BIGINT NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opportunities_stage ON opportunities (stage_id, expected_close);
CREATE INDEX opportunities_customer ON opportunities (customer_id, created_at);
CREATE INDEX opportunities_owner ON opportunities (owner_id, stage_id);
CREATE INDEX opportunities_close ON opportunities (expected_close, id);
CREATE INDEX opportunities_campaign ON opportunities (campaign_id);

CREATE TABLE contracts (
	id             BIGINT PRIMARY KEY,
	customer_id    BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	opportunity_id BIGINT NOT NULL DEFAULT 0,
	number         TEXT NOT NULL,
	title          TEXT NOT NULL,
	amount         BIGINT NOT NULL DEFAULT 0,
	signed_on      DATE NOT NULL,
	starts_on      DATE,
	ends_on        DATE,
	status         TEXT NOT NULL,
	owner_id       BIGINT REFERENCES users (id),
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX contracts_number_uq ON contracts (number);
CREATE INDEX contracts_customer ON contracts (customer_id, signed_on);
CREATE INDEX contracts_ends ON contracts (status, ends_on);
