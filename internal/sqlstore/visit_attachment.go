package sqlstore

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/kewei-crm/kewei"
)

// cleanFileName keeps a file name's last element, without control
// characters or quotes, at most 120 characters.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	if name == "" || name == "." {
		name = "attachment"
	}
	return name
}

// Attach stores a file on a visit report. The content type is sniffed from
// the bytes, never taken from the client.
func (s *VisitService) Attach(ctx context.Context, visitID int64, name string, data []byte) (*kewei.Attachment, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var p kewei.Problems
	switch {
	case len(data) == 0:
		p.Add("file", kewei.ReasonRequired, "the file is empty")
	case len(data) > kewei.MaxAttachmentSize:
		p.Add("file", kewei.ReasonOutOfRange, "at most %d MB", kewei.MaxAttachmentSize>>20)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	att := &kewei.Attachment{VisitID: visitID, Name: cleanFileName(name), ContentType: http.DetectContentType(data), Size: int64(len(data))}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		v, err := findVisit(ctx, tx, visitID)
		if err != nil {
			return err
		}
		switch {
		case v.UserID != a.UserID:
			return kewei.Errorf(kewei.EFORBIDDEN, "only the consultant who visited attaches files to the report")
		case v.Status == kewei.VisitApproved:
			return kewei.Errorf(kewei.ECONFLICT, "the report is approved; nothing more can be attached")
		}
		var n int
		if _, err := tx.get(ctx, `SELECT COUNT(*) FROM visit_attachments WHERE visit_id = ?`, []any{visitID}, &n); err != nil {
			return err
		}
		if n >= kewei.MaxAttachments {
			var p kewei.Problems
			p.Add("file", kewei.ReasonOutOfRange, "a report holds at most %d files", kewei.MaxAttachments)
			return p.Err()
		}
		att.ID, att.CreatedAt = tx.db.ids.next(), tx.now
		if _, err := tx.exec(ctx, `INSERT INTO visit_attachments (id, visit_id, name, content_type, size, data, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, att.ID, visitID, att.Name, att.ContentType, att.Size, data, ms(att.CreatedAt), a.UserID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "visit_attachment", att.ID, v.CustomerID, nil, att)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return att, nil
}

func visitAttachments(ctx context.Context, tx *Tx, visitID int64) ([]*kewei.Attachment, error) {
	out := []*kewei.Attachment{}
	err := eachRow(ctx, tx, `SELECT id, visit_id, name, content_type, size, created_at FROM visit_attachments WHERE visit_id = ? ORDER BY id`,
		[]any{visitID}, func(r scanner) error {
			a := &kewei.Attachment{}
			err := r.Scan(&a.ID, &a.VisitID, &a.Name, &a.ContentType, &a.Size, instant{&a.CreatedAt})
			out = append(out, a)
			return err
		})
	return out, err
}

// FindAttachment reads an attachment whose visit's customer the actor
// sees; the read is audited, since reports may hold personal data.
func (s *VisitService) FindAttachment(ctx context.Context, id int64) (*kewei.Attachment, []byte, error) {
	att := &kewei.Attachment{}
	var data []byte
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		found, err := tx.get(ctx, `SELECT id, visit_id, name, content_type, size, created_at, data FROM visit_attachments WHERE id = ?`, []any{id},
			&att.ID, &att.VisitID, &att.Name, &att.ContentType, &att.Size, instant{&att.CreatedAt}, &data)
		if err != nil {
			return err
		}
		if !found {
			return kewei.Errorf(kewei.ENOTFOUND, "attachment %d not found", id)
		}
		v, err := findVisit(ctx, tx, att.VisitID)
		if err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionExport, "visit_attachment", att.ID, v.CustomerID, nil, att)
	})
	if err != nil {
		return nil, nil, s.db.denied(ctx, err)
	}
	return att, data, nil
}
