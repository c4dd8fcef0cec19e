-- Campaigns, the leads attributed to them, and events with their
-- invitations and the leads they bring.
CREATE TABLE campaigns (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	channel    TEXT NOT NULL,
	cost       INTEGER NOT NULL DEFAULT 0,
	starts_on  TEXT,
	ends_on    TEXT,
	note       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);

-- A customer is attributed to at most one campaign.
CREATE TABLE campaign_leads (
	customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
	campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
	at          INTEGER NOT NULL,
	actor_id    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX campaign_leads_campaign ON campaign_leads (campaign_id, at);

CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	starts_at   INTEGER NOT NULL,
	place       TEXT NOT NULL DEFAULT '',
	capacity    INTEGER NOT NULL DEFAULT 0,
	campaign_id INTEGER NOT NULL DEFAULT 0,
	note        TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_invitations (
	id          INTEGER PRIMARY KEY,
	event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	channel     TEXT NOT NULL,
	invited_at  INTEGER NOT NULL,
	invited_by  INTEGER NOT NULL DEFAULT 0,
	reply       TEXT NOT NULL DEFAULT 'pending',
	replied_at  INTEGER NOT NULL DEFAULT 0,
	attended    INTEGER NOT NULL DEFAULT 0,
	guests      INTEGER NOT NULL DEFAULT 0,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX event_invitations_uq ON event_invitations (event_id, customer_id);
CREATE INDEX event_invitations_customer ON event_invitations (customer_id);

-- New customers met at an event (guests, walk-ins).
CREATE TABLE event_leads (
	customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
	event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	at          INTEGER NOT NULL
);
CREATE INDEX event_leads_event ON event_leads (event_id);
