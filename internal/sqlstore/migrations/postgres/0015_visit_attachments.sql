-- Files attached to visit reports: photos of the site, business cards,
-- signed forms. Kept in the database, so a backup holds them too.
CREATE TABLE visit_attachments (
	id           BIGINT PRIMARY KEY,
	visit_id     BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	data         BYTEA NOT NULL,
	created_at   BIGINT NOT NULL,
	created_by   BIGINT NOT NULL
);
CREATE INDEX visit_attachments_visit ON visit_attachments (visit_id, id);
