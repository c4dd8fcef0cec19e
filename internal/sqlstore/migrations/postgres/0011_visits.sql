-- Visits: the plan before, the report after, the manager's review.
CREATE TABLE visits (
	id               BIGINT PRIMARY KEY,
	customer_id      BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	user_id          BIGINT NOT NULL REFERENCES users (id),
	planned_at       BIGINT NOT NULL,
	purpose          TEXT NOT NULL,
	questions        TEXT NOT NULL DEFAULT '',
	competitor_notes TEXT NOT NULL DEFAULT '',
	checklist        TEXT NOT NULL DEFAULT '[]',
	status           TEXT NOT NULL,
	decision_maker   TEXT NOT NULL DEFAULT '',
	influencers      TEXT NOT NULL DEFAULT '',
	front_desk       TEXT NOT NULL DEFAULT '',
	needs            TEXT NOT NULL DEFAULT '',
	next_steps       TEXT NOT NULL DEFAULT '[]',
	reviewer_id      BIGINT NOT NULL DEFAULT 0,
	review_comment   TEXT NOT NULL DEFAULT '',
	submitted_at     BIGINT NOT NULL DEFAULT 0,
	reviewed_at      BIGINT NOT NULL DEFAULT 0,
	created_at       BIGINT NOT NULL,
	version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX visits_customer ON visits (customer_id, planned_at, id);
CREATE INDEX visits_user ON visits (user_id, planned_at);
CREATE INDEX visits_status ON visits (status, submitted_at);
