-- The last entry of the audit log, read under the lock that serialises
-- appends to it, in one round trip: concurrent writes queue on that lock
-- until each holder commits. A VOLATILE function takes a fresh snapshot
-- for each statement, so the entry read once the lock is granted includes
-- what the previous holder committed.
CREATE FUNCTION kewei_audit_head(OUT seq BIGINT, OUT hash TEXT) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7243002);
	SELECT l.seq, l.hash INTO seq, hash FROM audit_log l ORDER BY l.seq DESC LIMIT 1;
END $$;
