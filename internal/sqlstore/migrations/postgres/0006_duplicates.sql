-- Customers that look like one: pairs found when a customer is created or
-- changed and after an import (a_id < b_id), until merged or dismissed.
CREATE TABLE duplicate_pairs (
	id           BIGINT PRIMARY KEY,
	a_id         BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	b_id         BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	reasons      TEXT NOT NULL,
	detected_at  BIGINT NOT NULL,
	dismissed_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX duplicate_pairs_uq ON duplicate_pairs (a_id, b_id);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs (b_id);
CREATE INDEX duplicate_pairs_open ON duplicate_pairs (detected_at, id) WHERE dismissed_at = 0;

-- Name and company together find the same person or firm entered twice.
CREATE INDEX customers_name_company ON customers (name, company) WHERE company <> '';

-- Merges, with what is needed to undo them: the merged customer as it was,
-- the kept one before, the fields filled and the records moved.
CREATE TABLE merges (
	id          BIGINT PRIMARY KEY,
	keep_id     BIGINT NOT NULL,
	drop_id     BIGINT NOT NULL,
	drop_name   TEXT NOT NULL,
	dropped     TEXT NOT NULL,
	keep_before TEXT NOT NULL,
	keep_after  TEXT NOT NULL,
	filled      TEXT NOT NULL,
	moved       TEXT NOT NULL,
	actor_id    BIGINT NOT NULL,
	at          BIGINT NOT NULL,
	undone_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX merges_keep ON merges (keep_id);
CREATE INDEX merges_at ON merges (at);
