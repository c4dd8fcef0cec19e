package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// audit appends an entry for a change made in this transaction: what was
// before and what is after (nil for a creation or a deletion).
func (tx *Tx) audit(ctx context.Context, action, objType string, objID, customerID int64, before, after any) error {
	payload := map[string]any{}
	if before != nil {
		payload["before"] = before
	}
	if after != nil {
		payload["after"] = after
	}
	return tx.appendAudit(ctx, action, objType, objID, customerID, payload)
}

// appendAudit chains one entry to the log. Appends are serialised — by the
// single writer on SQLite, by an advisory lock on PostgreSQL — so every
// entry's predecessor is the one before it.
func (tx *Tx) appendAudit(ctx context.Context, action, objType string, objID, customerID int64, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if lock := tx.db.dialect.auditLock(); lock != "" {
		if _, err := tx.exec(ctx, lock); err != nil {
			return err
		}
	}
	var seq int64
	var prev string
	if _, err := tx.get(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`, nil, &seq, &prev); err != nil {
		return err
	}
	e := auditRow{seq: seq + 1, at: ms(tx.now), action: action, objType: objType, objID: objID,
		customerID: customerID, payloadHash: hashHex(body), prev: prev}
	if a := kewei.ActorFrom(ctx); a != nil {
		e.actorID, e.actorName, e.remote = a.UserID, a.Name, a.RemoteAddr
	}
	e.hash = e.computeHash()
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, remote_addr, action, object_type,
		object_id, customer_id, payload_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.seq, e.at, e.actorID, e.actorName, e.remote, e.action, e.objType, e.objID, e.customerID, e.payloadHash,
		e.prev, e.hash); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO audit_payloads (seq, payload) VALUES (?, ?)`, e.seq, string(body))
	return err
}

// auditRow is an entry as stored.
type auditRow struct {
	seq, at, actorID, objID, customerID int64
	actorName, remote, action, objType  string
	payloadHash, prev, hash             string
}

// computeHash is the entry's hash: SHA-256 over the previous hash and every
// field, each on its own line.
func (e *auditRow) computeHash() string {
	fields := []string{e.prev, strconv.FormatInt(e.seq, 10), strconv.FormatInt(e.at, 10),
		strconv.FormatInt(e.actorID, 10), e.actorName, e.remote, e.action, e.objType,
		strconv.FormatInt(e.objID, 10), strconv.FormatInt(e.customerID, 10), e.payloadHash}
	return hashHex([]byte(strings.Join(fields, "\n")))
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// auditAlone appends an entry in a transaction of its own, for events that
// change nothing else: a denial, a reveal, a failed sign-in.
func (db *DB) auditAlone(ctx context.Context, action, objType string, objID, customerID int64, detail any) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		return tx.appendAudit(ctx, action, objType, objID, customerID, detail)
	})
}

// deny records that the actor asked for something their scope does not
// cover, and returns what they are told: that it does not exist.
func (db *DB) deny(ctx context.Context, objType string, id, customerID int64) error {
	if err := db.auditAlone(ctx, kewei.ActionDeny, objType, id, customerID, map[string]string{"reason": "outside your scope"}); err != nil {
		return err
	}
	return kewei.Errorf(kewei.ENOTFOUND, "%s %d not found", objType, id)
}
