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

// appendAudit adds an entry to the log, in this transaction. A write run
// by the committer keeps it until its group is about to commit (or until
// flushAudit), so that the chain's lock is held for the end of a group
// only; other transactions chain it at once.
func (tx *Tx) appendAudit(ctx context.Context, action, objType string, objID, customerID int64, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	e := auditRow{at: ms(tx.now), action: action, objType: objType, objID: objID,
		customerID: customerID, payloadHash: hashHex(body)}
	if a := kewei.ActorFrom(ctx); a != nil {
		e.actorID, e.actorName, e.remote = a.UserID, a.Name, a.RemoteAddr
	}
	if tx.audits != nil {
		tx.audits.entries = append(tx.audits.entries, pendingAudit{e, string(body)})
		return nil
	}
	return tx.chain(ctx, []pendingAudit{{e, string(body)}})
}

// auditBuffer holds a group's entries; those before flushed are in the
// log already.
type auditBuffer struct {
	entries []pendingAudit
	flushed int
}

type pendingAudit struct {
	row  auditRow
	body string
}

// flushAudit chains the group's entries so far, for a write that reads or
// changes the log itself (an erasure clearing a person's payloads).
func (tx *Tx) flushAudit(ctx context.Context) error {
	b := tx.audits
	if b == nil || b.flushed == len(b.entries) {
		return nil
	}
	if err := tx.chain(ctx, b.entries[b.flushed:]); err != nil {
		return err
	}
	b.flushed = len(b.entries)
	return nil
}

// auditChunk bounds the rows of one INSERT (12 values each).
const auditChunk = 400

// chain appends entries to the log after its last one. Appends are
// serialised — by the single writer on SQLite, by an advisory lock held to
// the commit on PostgreSQL — so every entry's predecessor is the one before
// it. On PostgreSQL, kewei_audit_append chains them in the database, in one
// round trip under the lock.
func (tx *Tx) chain(ctx context.Context, entries []pendingAudit) error {
	if q := tx.db.dialect.auditAppend(); q != "" {
		return tx.chainInDB(ctx, q, entries)
	}
	var seq int64
	var prev string
	if _, err := tx.get(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`, nil, &seq, &prev); err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i].row
		seq++
		e.seq, e.prev = seq, prev
		e.hash = e.computeHash()
		prev = e.hash
	}
	for start := 0; start < len(entries); start += auditChunk {
		part := entries[start:min(start+auditChunk, len(entries))]
		payArgs := make([]any, 0, 2*len(part))
		logArgs := make([]any, 0, 12*len(part))
		for _, p := range part {
			e := p.row
			payArgs = append(payArgs, e.seq, p.body)
			logArgs = append(logArgs, e.seq, e.at, e.actorID, e.actorName, e.remote, e.action, e.objType,
				e.objID, e.customerID, e.payloadHash, e.prev, e.hash)
		}
		if _, err := tx.exec(ctx, `INSERT INTO audit_payloads (seq, payload) VALUES `+rowsOf(len(part), 2), payArgs...); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO audit_log (`+auditLogCols+`) VALUES `+rowsOf(len(part), 12), logArgs...); err != nil {
			return err
		}
	}
	return nil
}

// auditJSON is an entry as kewei_audit_append takes it.
type auditJSON struct {
	At          int64  `json:"at"`
	ActorID     int64  `json:"actor_id"`
	ActorName   string `json:"actor_name"`
	Remote      string `json:"remote_addr"`
	Action      string `json:"action"`
	ObjType     string `json:"object_type"`
	ObjID       int64  `json:"object_id"`
	CustomerID  int64  `json:"customer_id"`
	PayloadHash string `json:"payload_hash"`
	Payload     string `json:"payload"`
}

// chainInDB hands the entries to the database's append statement q, which
// returns the last entry's seq and hash.
func (tx *Tx) chainInDB(ctx context.Context, q string, entries []pendingAudit) error {
	in := make([]auditJSON, len(entries))
	for i, p := range entries {
		e := p.row
		in[i] = auditJSON{At: e.at, ActorID: e.actorID, ActorName: e.actorName, Remote: e.remote, Action: e.action,
			ObjType: e.objType, ObjID: e.objID, CustomerID: e.customerID, PayloadHash: e.payloadHash, Payload: p.body}
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var seq int64
	var hash string
	_, err = tx.get(ctx, q, []any{string(body)}, &seq, &hash)
	return err
}

// auditLogCols are the columns of an audit entry, in the order chain
// writes them.
const auditLogCols = `seq, at, actor_id, actor_name, remote_addr, action, object_type, object_id, customer_id,
	payload_hash, prev_hash, hash`

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
