package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// mergedTables hold a customer's records; a merge moves them and an undo
// moves them back, by id.
var mergedTables = []string{"contacts", "holdings", "transactions", "interactions", "consents"}

// moved is what a merge moved: record ids by table, and the transactions
// whose numbers clashed with the kept customer's and were suffixed.
type moved struct {
	IDs     map[string][]int64 `json:"ids"`
	Renamed map[int64]string   `json:"renamed,omitempty"`
}

// MergeCustomers folds req.DropID into req.KeepID in one transaction.
func (s *DuplicateService) MergeCustomers(ctx context.Context, req kewei.MergeRequest) (*kewei.Merge, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if req.KeepID == req.DropID {
		var p kewei.Problems
		p.Add("drop_id", kewei.ReasonInvalidFormat, "must be another customer than keep_id")
		return nil, p.Err()
	}
	var m *kewei.Merge
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		keep, drop, err := mergeable(ctx, tx, actor, req)
		if err != nil {
			return err
		}
		before := cloneCustomer(keep)
		filled := fillFrom(keep, drop)
		mv, err := moveRecords(ctx, tx, drop.ID, keep.ID)
		if err != nil {
			return err
		}
		if err := removeCustomer(ctx, tx, drop); err != nil {
			return err
		}
		keep.UpdatedAt, keep.UpdatedBy, keep.Version = tx.now, actor.UserID, keep.Version+1
		if err := writeCustomer(ctx, tx, keep, before); err != nil {
			return err
		}
		m = &kewei.Merge{ID: tx.db.ids.next(), KeepID: keep.ID, DropID: drop.ID, DropName: drop.Name, Filled: filled,
			Moved: map[string]int{}, ActorID: actor.UserID, At: tx.now, UndoBy: tx.now.Add(kewei.MergeWindow)}
		for t, ids := range mv.IDs {
			m.Moved[t] = len(ids)
		}
		if _, err := tx.exec(ctx, `INSERT INTO merges (id, keep_id, drop_id, drop_name, dropped, keep_before, keep_after, filled,
			moved, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, keep.ID, drop.ID, drop.Name, jsonValue{drop},
			jsonValue{before}, jsonValue{keep}, jsonValue{filled}, jsonValue{mv}, actor.UserID, ms(tx.now)); err != nil {
			return err
		}
		if _, err := detectDuplicates(ctx, tx, []*kewei.Customer{keep}); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionMerge, "customer", keep.ID, keep.ID,
			map[string]any{"merge": m.ID, "before": before, "after": keep, "merged": drop})
	})
	return m, s.db.denied(ctx, err)
}

// mergeable reads both customers and checks that the actor may merge them
// as they saw them.
func mergeable(ctx context.Context, tx *Tx, actor *kewei.Actor, req kewei.MergeRequest) (keep, drop *kewei.Customer, err error) {
	if keep, err = visibleCustomer(ctx, tx, req.KeepID); err != nil {
		return nil, nil, err
	}
	if drop, err = visibleCustomer(ctx, tx, req.DropID); err != nil {
		return nil, nil, err
	}
	for _, c := range []struct {
		c       *kewei.Customer
		version int
	}{{keep, req.KeepVersion}, {drop, req.DropVersion}} {
		switch {
		case c.c.Version != c.version:
			return nil, nil, kewei.Errorf(kewei.ECONFLICT, "customer %d was changed by someone else (now version %d, you sent %d); look again before merging",
				c.c.ID, c.c.Version, c.version)
		case c.c.ErasedAt != nil:
			return nil, nil, kewei.Errorf(kewei.ECONFLICT, "customer %d was erased and cannot be merged", c.c.ID)
		case !actor.Covers(kewei.ObjectPII, c.c.OwnerID, c.c.OwnerTeam):
			return nil, nil, kewei.Errorf(kewei.EFORBIDDEN, "merging needs the right to see both customers' personal data")
		}
	}
	defs, err := findCustomFields(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	hideUndefined(defs, keep, drop)
	return keep, drop, nil
}

// fillFrom gives keep what it lacks of drop's: empty fields, other phone
// numbers, tags, dates, family and custom values, and the later last
// contact. It returns the fields it changed, by their JSON names.
func fillFrom(keep, drop *kewei.Customer) []string {
	var filled []string
	text := func(name string, k *string, d string) {
		if *k == "" && d != "" {
			*k = d
			filled = append(filled, name)
		}
	}
	text("external_id", &keep.ExternalID, drop.ExternalID)
	text("email", &keep.Email, drop.Email)
	text("wechat", &keep.WeChat, drop.WeChat)
	text("company", &keep.Company, drop.Company)
	text("industry", &keep.Industry, drop.Industry)
	text("occupation", &keep.Occupation, drop.Occupation)
	text("province", &keep.Province, drop.Province)
	text("city", &keep.City, drop.City)
	text("district", &keep.District, drop.District)
	text("address", &keep.Address, drop.Address)
	text("preferences", &keep.Preferences, drop.Preferences)
	enum := func(name string, k *string, d string) { text(name, k, d) }
	enum("age_band", (*string)(&keep.AgeBand), string(drop.AgeBand))
	enum("gender", (*string)(&keep.Gender), string(drop.Gender))
	enum("source", (*string)(&keep.Source), string(drop.Source))
	enum("intent", (*string)(&keep.Intent), string(drop.Intent))
	enum("tier", (*string)(&keep.Tier), string(drop.Tier))
	if keep.Birthday.IsZero() && !drop.Birthday.IsZero() {
		keep.Birthday = drop.Birthday
		filled = append(filled, "birthday")
	}
	var more bool
	for _, p := range drop.Phones {
		if !slices.ContainsFunc(keep.Phones, func(k kewei.Phone) bool { return k.Number == p.Number }) && len(keep.Phones) < 5 {
			keep.Phones, more = append(keep.Phones, p), true
		}
	}
	if more {
		filled = append(filled, "phones")
	}
	more = false
	for _, t := range drop.Tags {
		if !slices.Contains(keep.Tags, t) {
			keep.Tags, more = append(keep.Tags, t), true
		}
	}
	if more {
		filled = append(filled, "tags")
	}
	if len(keep.ImportantDates) == 0 && len(drop.ImportantDates) > 0 {
		keep.ImportantDates = drop.ImportantDates
		filled = append(filled, "important_dates")
	}
	if len(keep.Family) == 0 && len(drop.Family) > 0 {
		keep.Family = drop.Family
		filled = append(filled, "family")
	}
	more = false
	for k, v := range drop.Custom {
		if _, ok := keep.Custom[k]; !ok {
			if keep.Custom == nil {
				keep.Custom = map[string]any{}
			}
			keep.Custom[k], more = v, true
		}
	}
	if more {
		filled = append(filled, "custom")
	}
	if drop.LastContactAt != nil && (keep.LastContactAt == nil || drop.LastContactAt.After(*keep.LastContactAt)) {
		keep.LastContactAt = drop.LastContactAt
	}
	return filled
}

// moveRecords gives every record of from to to. Transactions whose numbers
// to already has keep them with a suffix, so none is lost.
func moveRecords(ctx context.Context, tx *Tx, from, to int64) (*moved, error) {
	mv := &moved{IDs: map[string][]int64{}, Renamed: map[int64]string{}}
	rows, err := tx.query(ctx, `SELECT d.id, d.external_id FROM transactions d WHERE d.customer_id = ? AND d.external_id IS NOT NULL
		AND EXISTS (SELECT 1 FROM transactions k WHERE k.customer_id = ? AND k.external_id = d.external_id)`, from, to)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var ext string
		if err := rows.Scan(&id, &ext); err != nil {
			rows.Close()
			return nil, err
		}
		mv.Renamed[id] = ext
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, ext := range mv.Renamed {
		if _, err := tx.exec(ctx, `UPDATE transactions SET external_id = ? WHERE id = ?`, ext+"~"+strconv.FormatInt(from, 10), id); err != nil {
			return nil, err
		}
	}
	for _, t := range mergedTables {
		ids, err := tx.ids(ctx, `SELECT id FROM `+t+` WHERE customer_id = ? ORDER BY id`, from)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			continue
		}
		mv.IDs[t] = ids
		if _, err := tx.exec(ctx, `UPDATE `+t+` SET customer_id = ? WHERE customer_id = ?`, to, from); err != nil {
			return nil, err
		}
	}
	return mv, nil
}

// removeCustomer deletes a customer whose records have moved, with its
// search keys; its tags and duplicate pairs go with it.
func removeCustomer(ctx context.Context, tx *Tx, c *kewei.Customer) error {
	if err := syncSet(ctx, tx, "customer_search", "key", c.ID, customerKeys(c), nil); err != nil {
		return err
	}
	if err := syncOwnedKeys(ctx, tx, c.ID, c, nil, customerKeys(c), nil); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM churn_scores WHERE customer_id = ?`, c.ID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM customers WHERE id = ?`, c.ID)
	return err
}

// writeCustomer stores c over old, with its last contact and its index.
func writeCustomer(ctx context.Context, tx *Tx, c, old *kewei.Customer) error {
	c.NamePinyin = customerPinyin(c)
	if _, err := tx.exec(ctx, `UPDATE customers SET (`+customerWriteCols+`, last_contact_at, updated_at, updated_by, version) =
		(`+placeholders(customerWriteColCount+4)+`) WHERE id = ?`,
		append(customerWriteArgs(c), msPtr(c.LastContactAt), ms(c.UpdatedAt), c.UpdatedBy, c.Version, c.ID)...); err != nil {
		return err
	}
	return writeCustomerIndex(ctx, tx, c, old)
}

// UnmergeCustomers undoes a merge within kewei.MergeWindow.
func (s *DuplicateService) UnmergeCustomers(ctx context.Context, id int64) (*kewei.Merge, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var m *kewei.Merge
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		var rec mergeRecord
		if m, rec, err = findMerge(ctx, tx, id); err != nil {
			return err
		}
		switch {
		case m.UndoneAt != nil:
			return kewei.Errorf(kewei.ECONFLICT, "merge %d was already undone", id)
		case tx.now.After(m.UndoBy):
			return kewei.Errorf(kewei.ECONFLICT, "merge %d was on %s; merges can be undone for 30 days", id, m.At.Format(time.DateOnly))
		}
		keep, err := visibleCustomer(ctx, tx, m.KeepID)
		if err != nil {
			return err
		}
		if !actor.Covers(kewei.ObjectPII, keep.OwnerID, keep.OwnerTeam) {
			return kewei.Errorf(kewei.EFORBIDDEN, "undoing a merge needs the right to see the customer's personal data")
		}
		old := cloneCustomer(keep)
		if err := revertFilled(keep, rec); err != nil {
			return err
		}
		keep.LastContactAt = rec.before.LastContactAt
		keep.UpdatedAt, keep.UpdatedBy, keep.Version = tx.now, actor.UserID, keep.Version+1
		if err := writeCustomer(ctx, tx, keep, old); err != nil {
			return err
		}
		if err := restoreCustomer(ctx, tx, rec.dropped, actor); err != nil {
			return err
		}
		if err := moveBack(ctx, tx, rec.moved, keep.ID, rec.dropped.ID); err != nil {
			return err
		}
		if _, err := detectDuplicates(ctx, tx, []*kewei.Customer{rec.dropped}); err != nil {
			return err
		}
		now := tx.now
		m.UndoneAt = &now
		if _, err := tx.exec(ctx, `UPDATE merges SET undone_at = ? WHERE id = ?`, ms(now), id); err != nil {
			return err
		}
		return tx.appendAudit(ctx, kewei.ActionUnmerge, "customer", keep.ID, keep.ID,
			map[string]any{"merge": id, "before": old, "after": keep, "restored": rec.dropped})
	})
	return m, s.db.denied(ctx, err)
}

// revertFilled empties again the fields the merge filled, unless they were
// changed since.
func revertFilled(keep *kewei.Customer, rec mergeRecord) error {
	var cur, after, before map[string]json.RawMessage
	for _, x := range []struct {
		c   *kewei.Customer
		out *map[string]json.RawMessage
	}{{keep, &cur}, {rec.after, &after}, {rec.before, &before}} {
		b, err := json.Marshal(x.c)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, x.out); err != nil {
			return err
		}
	}
	for _, f := range rec.filled {
		if string(cur[f]) == string(after[f]) {
			cur[f] = before[f]
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	*keep = kewei.Customer{}
	return json.Unmarshal(b, keep)
}

// restoreCustomer puts a merged customer back with its id.
func restoreCustomer(ctx context.Context, tx *Tx, c *kewei.Customer, actor *kewei.Actor) error {
	c.Masked = nil
	c.Version++
	c.UpdatedAt, c.UpdatedBy = tx.now, actor.UserID
	c.NamePinyin = customerPinyin(c)
	if _, err := tx.exec(ctx, `INSERT INTO customers (`+customerWriteCols+`,
		last_contact_at, created_at, updated_at, created_by, updated_by, version, id)
		VALUES (`+placeholders(customerWriteColCount+7)+`)`,
		append(customerWriteArgs(c), msPtr(c.LastContactAt), ms(c.CreatedAt), ms(c.UpdatedAt), c.CreatedBy, c.UpdatedBy,
			c.Version, c.ID)...); err != nil {
		return err
	}
	return writeCustomerIndex(ctx, tx, c, nil)
}

// moveBack returns the moved records that are still with the kept
// customer; records added to it since the merge stay.
func moveBack(ctx context.Context, tx *Tx, mv moved, from, to int64) error {
	for t, ids := range mv.IDs {
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			args := []any{to, from}
			for _, id := range chunk {
				args = append(args, id)
			}
			if _, err := tx.exec(ctx, `UPDATE `+t+` SET customer_id = ? WHERE customer_id = ? AND id IN (`+placeholders(len(chunk))+`)`,
				args...); err != nil {
				return err
			}
		}
	}
	for id, ext := range mv.Renamed {
		if _, err := tx.exec(ctx, `UPDATE transactions SET external_id = ? WHERE id = ?`, ext, id); err != nil {
			return err
		}
	}
	return nil
}

// mergeRecord is what a merge kept to be undone.
type mergeRecord struct {
	dropped, before, after *kewei.Customer
	filled                 []string
	moved                  moved
}

const mergeCols = `id, keep_id, drop_id, drop_name, dropped, keep_before, keep_after, filled, moved, actor_id, at, undone_at`

func scanMerge(r scanner) (*kewei.Merge, mergeRecord, error) {
	m := &kewei.Merge{}
	rec := mergeRecord{dropped: &kewei.Customer{}, before: &kewei.Customer{}, after: &kewei.Customer{}}
	err := r.Scan(&m.ID, &m.KeepID, &m.DropID, &m.DropName, jsonScan{rec.dropped}, jsonScan{rec.before}, jsonScan{rec.after},
		jsonScan{&rec.filled}, jsonScan{&rec.moved}, &m.ActorID, instant{&m.At}, optInstant{&m.UndoneAt})
	m.Filled, m.UndoBy, m.Moved = rec.filled, m.At.Add(kewei.MergeWindow), map[string]int{}
	for t, ids := range rec.moved.IDs {
		m.Moved[t] = len(ids)
	}
	return m, rec, err
}

func findMerge(ctx context.Context, tx *Tx, id int64) (*kewei.Merge, mergeRecord, error) {
	rows, err := tx.query(ctx, `SELECT `+mergeCols+` FROM merges WHERE id = ?`, id)
	if err != nil {
		return nil, mergeRecord{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, mergeRecord{}, err
		}
		return nil, mergeRecord{}, kewei.Errorf(kewei.ENOTFOUND, "merge %d not found", id)
	}
	return scanMerge(rows)
}

// FindMerges returns the latest merges into customers the actor sees.
func (s *DuplicateService) FindMerges(ctx context.Context) ([]*kewei.Merge, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	cond, args := scopeCond(a, "c")
	w := where{}.and(cond, args...)
	list := []*kewei.Merge{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+prefixCols("m.", mergeCols)+` FROM merges m JOIN customers c ON c.id = m.keep_id`+
			w.sql()+` ORDER BY m.at DESC, m.id DESC LIMIT 50`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, _, err := scanMerge(rows)
			if err != nil {
				return err
			}
			list = append(list, m)
		}
		return rows.Err()
	})
	return list, err
}

// prefixCols puts an alias before each column of a list.
func prefixCols(alias, cols string) string {
	parts := splitCols(cols)
	for i, p := range parts {
		parts[i] = alias + p
	}
	return strings.Join(parts, ", ")
}
