-- Referral cards issued to customers, the prospects who bring them, and
-- the reward each referral earns once, when the prospect buys.
CREATE TABLE referral_cards (
	id          BIGINT PRIMARY KEY,
	seq         BIGINT NOT NULL UNIQUE,
	customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	user_id     BIGINT REFERENCES users (id),
	issued_at   BIGINT NOT NULL
);
CREATE INDEX referral_cards_customer ON referral_cards (customer_id, issued_at);

CREATE TABLE referrals (
	id          BIGINT PRIMARY KEY,
	card_id     BIGINT NOT NULL REFERENCES referral_cards (id) ON DELETE CASCADE,
	prospect_id BIGINT NOT NULL UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
	linked_by   BIGINT NOT NULL,
	linked_at   BIGINT NOT NULL,
	reward      TEXT NOT NULL DEFAULT '',
	redeemed_at BIGINT NOT NULL DEFAULT 0,
	redeemed_by BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX referrals_card ON referrals (card_id);
