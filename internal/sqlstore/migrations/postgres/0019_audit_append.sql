-- Appends a group of audit entries to the chain in one round trip: takes the
-- lock that serialises appends (held to the commit), reads the last entry,
-- and writes each entry with its payload, hashed as Kewei hashes them in Go
-- (auditRow.computeHash: SHA-256, hex, over the previous hash and every
-- field on its own line). A VOLATILE function takes a fresh snapshot for
-- each statement, so the last entry read once the lock is granted includes
-- what the previous holder committed. entries is a JSON array of objects
-- with at, actor_id, actor_name, remote_addr, action, object_type,
-- object_id, customer_id, payload_hash and payload, in order.
CREATE FUNCTION kewei_audit_append(entries JSON, OUT last_seq BIGINT, OUT last_hash TEXT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	e JSON;
BEGIN
	PERFORM pg_advisory_xact_lock(7243002);
	SELECT l.seq, l.hash INTO last_seq, last_hash FROM audit_log l ORDER BY l.seq DESC LIMIT 1;
	last_seq := COALESCE(last_seq, 0);
	last_hash := COALESCE(last_hash, '');
	FOR e IN SELECT a.x FROM json_array_elements(entries) WITH ORDINALITY AS a(x, n) ORDER BY a.n LOOP
		last_seq := last_seq + 1;
		INSERT INTO audit_payloads (seq, payload) VALUES (last_seq, e->>'payload');
		INSERT INTO audit_log (seq, at, actor_id, actor_name, remote_addr, action, object_type, object_id,
			customer_id, payload_hash, prev_hash, hash)
		VALUES (last_seq, (e->>'at')::BIGINT, (e->>'actor_id')::BIGINT, e->>'actor_name', e->>'remote_addr',
			e->>'action', e->>'object_type', (e->>'object_id')::BIGINT, (e->>'customer_id')::BIGINT,
			e->>'payload_hash', last_hash,
			encode(sha256(convert_to(concat_ws(E'\n', last_hash, last_seq::TEXT, e->>'at', e->>'actor_id',
				e->>'actor_name', e->>'remote_addr', e->>'action', e->>'object_type', e->>'object_id',
				e->>'customer_id', e->>'payload_hash'), 'UTF8')), 'hex'))
		RETURNING hash INTO last_hash;
	END LOOP;
END $$;
