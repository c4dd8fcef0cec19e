-- The scorecard's counts by period: customers marked lost (a small partial
-- index; the rest of the customers are not in it) and tasks by due time.
CREATE INDEX customers_lost ON customers (updated_at) WHERE stage = 'lost';
CREATE INDEX tasks_due_at ON tasks (due_at);
