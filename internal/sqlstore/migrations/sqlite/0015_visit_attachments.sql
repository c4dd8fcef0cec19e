-- Files attached to visit reports: photos of the site, business cards,
-- signed forms. Kept in the database, so a backup holds them too.
CREATE TABLE visit_attachments (
	id           INTEGER PRIMARY KEY,
	visit_id     INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	created_by   INTEGER NOT NULL
);
CREATE INDEX visit_attachments_visit ON visit_attachments (visit_id, id);
