-- Each user's saved customer lists.
CREATE TABLE saved_views (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	query      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_name_uq ON saved_views (user_id, name);
