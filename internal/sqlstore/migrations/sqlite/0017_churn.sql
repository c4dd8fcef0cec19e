-- Churn models: each training's settings, figures and the model itself.
-- The active one scores; the earlier ones stay, to go back to.
CREATE TABLE churn_models (
	id           INTEGER PRIMARY KEY,
	active       BOOLEAN NOT NULL DEFAULT false,
	as_of        INTEGER NOT NULL,
	horizon_days INTEGER NOT NULL,
	label        TEXT NOT NULL,
	rows_total   INTEGER NOT NULL,
	rows_left    INTEGER NOT NULL,
	roc_auc      REAL NOT NULL,
	pr_auc       REAL NOT NULL,
	card         TEXT NOT NULL,
	model        TEXT NOT NULL,
	actor_id     INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL
);

-- The last scoring of each customer: the chance of leaving, the value at
-- stake (spend over the last twelve months) and their product, by which
-- the risk list sorts. Every night replaces every row, so the table has no
-- foreign key and one sorting index, which halve the time of that write;
-- deleting a customer deletes their score (and a score whose customer is
-- gone would join nothing).
CREATE TABLE churn_scores (
	customer_id INTEGER PRIMARY KEY,
	model_id    INTEGER NOT NULL,
	probability REAL NOT NULL,
	value       REAL NOT NULL,
	risk        REAL NOT NULL,
	scored_at   INTEGER NOT NULL
);
CREATE INDEX churn_scores_risk ON churn_scores (risk, customer_id);

-- Retention asked for a customer on a day; the playbooks' churn_risk steps
-- plan their tasks from these, once per customer and day.
CREATE TABLE retention_requests (
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	on_day      TEXT NOT NULL,
	model_id    INTEGER NOT NULL DEFAULT 0,
	actor_id    INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (customer_id, on_day)
);
