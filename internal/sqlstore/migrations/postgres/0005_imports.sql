-- The import ledger: each import, and each batch it committed, written in
-- the batch's own transaction so that an import resumes exactly where it
-- stopped.
CREATE TABLE imports (
	id          BIGINT PRIMARY KEY,
	kind        TEXT NOT NULL,
	file_name   TEXT NOT NULL,
	size        BIGINT NOT NULL DEFAULT 0,
	checksum    TEXT NOT NULL,
	status      TEXT NOT NULL,
	dry_run     BOOLEAN NOT NULL DEFAULT false,
	lines       BIGINT NOT NULL DEFAULT 0,
	imported    BIGINT NOT NULL DEFAULT 0,
	skipped     BIGINT NOT NULL DEFAULT 0,
	failed      BIGINT NOT NULL DEFAULT 0,
	batches     BIGINT NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	actor_id    BIGINT NOT NULL,
	started_at  BIGINT NOT NULL,
	finished_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX imports_checksum ON imports (kind, checksum);

CREATE TABLE import_batches (
	import_id BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
	batch_no  BIGINT NOT NULL,
	lines     BIGINT NOT NULL,
	PRIMARY KEY (import_id, batch_no)
);

-- Every problem row, written with its batch, so the report survives a crash
-- and can be downloaded later.
CREATE TABLE import_problems (
	import_id   BIGINT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
	line        BIGINT NOT NULL,
	column_name TEXT NOT NULL,
	value       TEXT NOT NULL,
	reason      TEXT NOT NULL,
	message     TEXT NOT NULL
);
CREATE INDEX import_problems_import ON import_problems (import_id, line);

-- A bulk load names the process running it and beats its heart with every
-- batch; a process that opens the database repairs a load only when that
-- process is gone (same machine) or its heart has stopped (another one),
-- never one that is still running.
ALTER TABLE bulk_state ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_state ADD COLUMN heartbeat_at BIGINT NOT NULL DEFAULT 0;
