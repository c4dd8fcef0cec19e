-- Customers that look like one: pairs found when a customer is created or
-- changed and after an import (a_id < b_id), until merged or dismissed.
CREATE TABLE duplicate_pairs (
	id           INTEGER PRIMARY KEY,
	a_id         INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	b_id         INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	reasons      TEXT NOT NULL,
	detected_at  INTEGER NOT NULL,
	dismissed_at INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX duplicate_pairs_uq ON duplicate_pairs (a_id, b_id);
CREATE INDEX duplicate_pairs_b ON duplicate_pairs (b_id);
CREATE INDEX duplicate_pairs_open ON duplicate_pairs (detected_at, id) WHERE dismissed_at = 0;

-- Name and company together find the same person or firm entered twice.
CREATE INDEX customers_name_company ON customers (name, company) WHERE company <> '';

-- Merges, with what is needed to undo them: the merged customer as it was,
-- the kept one before, the fields filled and the records moved.
CREATE TABLE merges (
	id          INTEGER PRIMARY KEY,
	keep_id     INTEGER NOT NULL,
	drop_id     INTEGER NOT NULL,
	drop_name   TEXT NOT NULL,
	dropped     TEXT NOT NULL,
	keep_before TEXT NOT NULL,
	keep_after  TEXT NOT NULL,
	filled      TEXT NOT NULL,
	moved       TEXT NOT NULL,
	actor_id    INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	undone_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX merges_keep ON merges (keep_id);
CREATE INDEX merges_at ON merges (at);
