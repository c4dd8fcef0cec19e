-- Referral cards issued to customers, the prospects who bring them, and
-- the reward each referral earns once, when the prospect buys.
CREATE TABLE referral_cards (
	id          INTEGER PRIMARY KEY,
	seq         INTEGER NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	user_id     INTEGER REFERENCES users (id),
	issued_at   INTEGER NOT NULL
);
CREATE INDEX referral_cards_customer ON referral_cards (customer_id, issued_at);

CREATE TABLE referrals (
	id          INTEGER PRIMARY KEY,
	card_id     INTEGER NOT NULL REFERENCES referral_cards (id) ON DELETE CASCADE,
	prospect_id INTEGER NOT NULL UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
	linked_by   INTEGER NOT NULL,
	linked_at   INTEGER NOT NULL,
	reward      TEXT NOT NULL DEFAULT '',
	redeemed_at INTEGER NOT NULL DEFAULT 0,
	redeemed_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX referrals_card ON referrals (card_id);
