-- The product catalogue. Holdings and transactions name products by text;
-- a text equal to a code, or else to a name, links them to one.
CREATE TABLE products (
	id          BIGINT PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	category    TEXT NOT NULL DEFAULT '',
	price       BIGINT NOT NULL DEFAULT 0,
	purchase    TEXT NOT NULL DEFAULT 'repeat',
	life_months BIGINT NOT NULL DEFAULT 0,
	active      BOOLEAN NOT NULL DEFAULT true,
	note        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX products_name ON products (name);

-- When each active holding is due for replacement or renewal, and why
-- (own_date, rhythm, life_cycle): computed from the holding, the
-- customer's other holdings and the catalogue, kept current on each change
-- and nightly, so the list of who is due reads an index.
ALTER TABLE holdings ADD COLUMN due_on DATE;
ALTER TABLE holdings ADD COLUMN due_source TEXT NOT NULL DEFAULT '';
CREATE INDEX holdings_due ON holdings (due_on, id) WHERE due_on IS NOT NULL;

-- Customers closest to the next tier: the highest values within a rule
-- and tier.
CREATE INDEX customer_values_rule_tier ON customer_values (rule_id, tier, value, customer_id);
