-- PostgreSQL appends audit entries through a function (kewei_audit_append)
-- that takes the chain's lock. SQLite has one writer and needs neither.
SELECT 1;
