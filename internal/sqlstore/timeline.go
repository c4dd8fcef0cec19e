package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// TimelineService reads customers' timelines.
type TimelineService struct{ db *DB }

// NewTimelineService returns the timeline service of db.
func NewTimelineService(db *DB) *TimelineService { return &TimelineService{db: db} }

var _ kewei.TimelineService = (*TimelineService)(nil)

// timelineSource is one table's contribution to the timeline: a select list
// of (kind, id, at, subkind, title, detail, amount, user_id) over alias r,
// and the column that orders it.
type timelineSource struct {
	kind, from, selects, at string
}

// timelineSources are merged newest first. Later features add theirs here.
var timelineSources = []timelineSource{
	{"interaction", "interactions r", cols("r.kind", "r.summary", "r.outcome", "NULL", "COALESCE(r.user_id, 0)"), "r.occurred_at"},
	{"transaction", "transactions r", cols("r.channel", "r.product", "r.note", "r.amount", "0"), "r.occurred_at"},
	{"holding", "holdings r", cols("r.category", "r.product", "r.serial", "r.value", "0"), "r.created_at"},
	{"contact", "contacts r", cols("r.role", "r.name", "r.title", "NULL", "0"), "r.created_at"},
	{"created", "customers r", cols("r.source", "r.name", "''", "NULL", "r.created_by"), "r.created_at"},
	{"service", "service_records r", cols("r.kind", "r.summary", "r.note", "r.cost", "COALESCE(r.user_id, 0)"), "r.performed_at"},
	{"survey", "survey_responses r", cols("CAST(r.nps AS TEXT)", "r.comment", "CAST(r.csat AS TEXT)", "NULL", "0"), "r.at"},
	{"complaint", "complaints r", cols("r.severity", "r.words", "r.category", "NULL", "r.created_by"), "r.received_at"},
	{"visit", "visits r", cols("r.status", "r.purpose", "r.needs", "NULL", "r.user_id"), "r.planned_at"},
	{"complaint_step", "(SELECT * FROM complaint_events WHERE action <> 'receive') r", cols("r.action", "r.note", "r.to_status", "NULL", "r.actor_id"), "r.at"},
}

// cols names the timeline's columns; a NULL amount is typed, since
// PostgreSQL resolves each part's types before the union.
func cols(subkind, title, detail, amount, userID string) string {
	if amount == "NULL" {
		amount = "CAST(NULL AS BIGINT)"
	}
	return subkind + " AS subkind, " + title + " AS title, " + detail + " AS detail, " + amount + " AS amount, " +
		userID + " AS user_id"
}

// FindTimeline merges the customer's records, newest first. Each source is
// read through its (customer_id, time, id) index and cut to one page before
// the merge, so a long history costs no more than a short one.
func (s *TimelineService) FindTimeline(ctx context.Context, f kewei.TimelineFilter) (*kewei.List[*kewei.TimelineEntry], error) {
	for _, k := range f.Kinds {
		if !slices.Contains(kewei.TimelineKinds, k) {
			var p kewei.Problems
			p.Add("kinds", kewei.ReasonUnknownChoice, "must be among %s", strings.Join(kewei.TimelineKinds, ", "))
			return nil, p.Err()
		}
	}
	o := order{key: "at", col: "at", idCol: "id", desc: true}
	_, cargs, err := o.after(f.Cursor)
	if err != nil {
		return nil, err
	}
	limit := kewei.ClampLimit(f.Limit)
	var parts, counts []string
	var args, countArgs []any
	for _, src := range timelineSources {
		if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, src.kind) {
			continue
		}
		idCol := "r.customer_id"
		if src.kind == "created" {
			idCol = "r.id"
		}
		counts = append(counts, `SELECT 1 FROM `+src.from+` WHERE `+idCol+` = ?`)
		countArgs = append(countArgs, f.CustomerID)
		q := `SELECT * FROM (SELECT '` + src.kind + `' AS kind, r.id AS id, ` + src.at + ` AS at, ` + src.selects +
			` FROM ` + src.from + ` WHERE ` + idCol + ` = ?`
		args = append(args, f.CustomerID)
		if cargs != nil {
			q += ` AND (` + src.at + `, r.id) < (?, ?)`
			args = append(args, cargs...)
		}
		q += ` ORDER BY ` + src.at + ` DESC, r.id DESC LIMIT ?) AS ` + src.kind + `_part`
		args = append(args, limit+1)
		parts = append(parts, q)
	}
	query := `SELECT t.*, COALESCE(u.display_name, '') FROM (` + strings.Join(parts, ` UNION ALL `) +
		`) AS t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.at DESC, t.id DESC LIMIT ?`
	args = append(args, limit+1)
	page := &kewei.List[*kewei.TimelineEntry]{Items: []*kewei.TimelineEntry{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		c, err := visibleCustomer(ctx, tx, f.CustomerID)
		if err != nil {
			return err
		}
		masked := !kewei.ActorFrom(ctx).Covers(kewei.ObjectPII, c.OwnerID, c.OwnerTeam)
		n, err := countCapped(ctx, tx, strings.Join(counts, ` UNION ALL `), countArgs)
		if err != nil {
			return err
		}
		page.SetTotal(n)
		rows, err := tx.query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &kewei.TimelineEntry{}
			if err := rows.Scan(&e.Kind, &e.ID, instant{&e.At}, &e.Subkind, &e.Title, &e.Detail, &e.Amount,
				&e.UserID, &e.UserName); err != nil {
				return err
			}
			if masked && e.Kind == "holding" {
				e.Detail = kewei.MaskTail(e.Detail) // the serial: an account or card number
			}
			page.Items = append(page.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = o.cursor(ms(last.At), last.ID)
	}
	return page, nil
}
