-- Re-tiering sums every customer's transactions over a window. With the
-- amounts in the customer index the sum can read the index alone, in
-- customer order. Timelines and lists use the key columns as before.
DROP INDEX transactions_customer;
CREATE INDEX transactions_customer ON transactions (customer_id, occurred_at, id) INCLUDE (amount, profit);

-- A fingerprint of each stored value: a nightly run compares fingerprints,
-- read from this narrow index, instead of reading every value back.
ALTER TABLE customer_values ADD COLUMN fp BIGINT NOT NULL DEFAULT 0;
CREATE INDEX customer_values_fp ON customer_values (customer_id, fp);
