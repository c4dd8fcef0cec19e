package sqlstore

import (
	"context"
	"fmt"

	"github.com/kewei-crm/kewei"
)

// RecordAccess appends an entry for an event that changes nothing: an
// export, a reveal, a denial.
func (s *AuditService) RecordAccess(ctx context.Context, action, objectType string, objectID int64, detail any) error {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return err
	}
	var customerID int64
	if objectType == "customer" {
		customerID = objectID
	}
	return s.db.auditAlone(ctx, action, objectType, objectID, customerID, detail)
}

// VerifyAudit walks the chain from the first entry, recomputing every hash
// and the hash of every payload not erased, and reports the first entry
// that does not hold.
func (s *AuditService) VerifyAudit(ctx context.Context) (*kewei.AuditCheck, error) {
	check := &kewei.AuditCheck{}
	var after int64
	prev := ""
	for {
		var batch []auditRow
		var payloads []string
		var erased []bool
		err := s.db.readTx(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, `SELECT l.seq, l.at, l.actor_id, l.actor_name, l.remote_addr, l.action, l.object_type,
				l.object_id, l.customer_id, l.payload_hash, l.prev_hash, l.hash, COALESCE(p.payload, ''), COALESCE(p.erased, false)
				FROM audit_log l LEFT JOIN audit_payloads p ON p.seq = l.seq WHERE l.seq > ? ORDER BY l.seq LIMIT 5000`, after)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var e auditRow
				var payload string
				var gone bool
				if err := rows.Scan(&e.seq, &e.at, &e.actorID, &e.actorName, &e.remote, &e.action, &e.objType, &e.objID,
					&e.customerID, &e.payloadHash, &e.prev, &e.hash, &payload, &gone); err != nil {
					return err
				}
				batch, payloads, erased = append(batch, e), append(payloads, payload), append(erased, gone)
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			return check, nil
		}
		for i, e := range batch {
			if reason := e.problem(prev, check.Entries+1, payloads[i], erased[i]); reason != "" {
				check.BrokenAt, check.Reason = e.seq, reason
				return check, nil
			}
			check.Entries++
			prev, after = e.hash, e.seq
		}
	}
}

// problem says what is wrong with an entry, or "".
func (e *auditRow) problem(prev string, want int64, payload string, erased bool) string {
	stored := e.hash
	switch {
	case e.seq != want:
		return fmt.Sprintf("entry %d is missing: the log jumps from %d to %d", want, want-1, e.seq)
	case e.prev != prev:
		return "it does not carry the hash of the entry before it"
	case e.computeHash() != stored:
		return "its fields do not match its hash"
	case !erased && hashHex([]byte(payload)) != e.payloadHash:
		return "its payload does not match its hash"
	case erased && payload != `{"erased":true}`:
		return "it is marked erased but still holds a payload"
	}
	return ""
}
