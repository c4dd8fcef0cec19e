-- A bulk load in progress: the indexes it dropped (rebuilt at its end) and
-- the largest customer id before it began. If the load is cut short, the
-- next start rebuilds the indexes and the search keys of the customers it
-- wrote.
CREATE TABLE bulk_indexes (
	name       TEXT PRIMARY KEY,
	definition TEXT NOT NULL
);
CREATE TABLE bulk_state (
	id                INTEGER PRIMARY KEY CHECK (id = 1),
	after_customer_id BIGINT NOT NULL
);
