-- Re-tiering sums every customer's transactions over a window. With the
-- amounts in the customer index the sum reads the index alone, in customer
-- order, instead of looking up ten million rows scattered by the order they
-- were imported in. Timelines and lists use the leading columns as before.
DROP INDEX transactions_customer;
CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at, id, amount, profit);

-- A fingerprint of each stored value: a nightly run compares fingerprints,
-- read from this narrow index, instead of reading every value back.
ALTER TABLE customer_values ADD COLUMN fp INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customer_values_fp ON customer_values (customer_id, fp);
