package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/kewei-crm/kewei"
)

// AuditService reads and checks the audit log.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ kewei.AuditService = (*AuditService)(nil)

// FindAudit returns one page of entries, newest first, for actors whose
// audit scope is all. Payloads are shown with personal data masked.
func (s *AuditService) FindAudit(ctx context.Context, f kewei.AuditFilter) (*kewei.List[*kewei.AuditEntry], error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.ScopeOf(kewei.ObjectAudit) != kewei.ScopeAll {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "only auditors and administrators read the audit log")
	}
	o := order{key: "seq", col: "l.seq", idCol: "l.seq", desc: true}
	w := where{}
	for _, c := range []struct {
		cond string
		v    any
		set  bool
	}{
		{`l.actor_id = ?`, f.ActorID, f.ActorID != 0}, {`l.action = ?`, f.Action, f.Action != ""},
		{`l.object_type = ?`, f.ObjectType, f.ObjectType != ""}, {`l.object_id = ?`, f.ObjectID, f.ObjectID != 0},
		{`l.customer_id = ?`, f.CustomerID, f.CustomerID != 0}, {`l.at >= ?`, ms(f.From), !f.From.IsZero()},
		{`l.at < ?`, ms(f.To), !f.To.IsZero()},
	} {
		if c.set {
			w = w.and(c.cond, c.v)
		}
	}
	if f.Cursor != "" {
		keyset, args, err := o.after(f.Cursor)
		if err != nil {
			return nil, err
		}
		w = w.and(keyset, args...)
	}
	limit := kewei.ClampLimit(f.Limit)
	page := &kewei.List[*kewei.AuditEntry]{Items: []*kewei.AuditEntry{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		n, err := countCapped(ctx, tx, `SELECT 1 FROM audit_log l`+w.sql(), w.args)
		if err != nil {
			return err
		}
		page.SetTotal(n)
		rows, err := tx.query(ctx, `SELECT l.seq, l.at, l.actor_id, l.actor_name, l.remote_addr, l.action, l.object_type,
			l.object_id, l.customer_id, l.hash, p.payload, p.erased FROM audit_log l JOIN audit_payloads p ON p.seq = l.seq`+
			w.sql()+` ORDER BY l.seq DESC LIMIT ?`, append(w.args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &kewei.AuditEntry{}
			var payload string
			if err := rows.Scan(&e.Seq, instant{&e.At}, &e.ActorID, &e.ActorName, &e.RemoteAddr, &e.Action, &e.ObjectType,
				&e.ObjectID, &e.CustomerID, &e.Hash, &payload, &e.Erased); err != nil {
				return err
			}
			e.Payload = maskPayload(json.RawMessage(payload))
			page.Items = append(page.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = o.cursor(last.Seq, last.Seq)
	}
	return page, nil
}

// piiKeys are the JSON keys whose values are personal data wherever they
// appear in a payload.
var piiKeys = map[string]func(string) string{
	"phones": kewei.MaskPhone, "phone": kewei.MaskPhone, "number": kewei.MaskPhone, "email": kewei.MaskEmail,
	"wechat": kewei.MaskText, "address": kewei.MaskText, "name": kewei.MaskText, "birthday": func(string) string { return "****" },
	"serial": kewei.MaskTail, "custom": kewei.MaskText, "preferences": kewei.MaskText, "summary": kewei.MaskText,
	"outcome": kewei.MaskText, "next_step": kewei.MaskText, "note": kewei.MaskText, "external_id": kewei.MaskTail,
	"company": kewei.MaskText,
}

// maskPayload masks the values of personal keys anywhere in a payload.
func maskPayload(raw json.RawMessage) json.RawMessage {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	out, _ := json.Marshal(maskValue(v, nil))
	return out
}

func maskValue(v any, mask func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			m := mask
			if f, ok := piiKeys[k]; ok {
				m = f
			}
			x[k] = maskValue(e, m)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = maskValue(e, mask)
		}
		return x
	case string:
		if mask != nil && x != "" {
			return mask(x)
		}
	}
	return v
}
