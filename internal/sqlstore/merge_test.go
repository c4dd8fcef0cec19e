package sqlstore_test

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestDuplicatesFoundOnCreate(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		other, _ := mustUser(t, db, "zhaoqiang", kewei.RoleConsultant)
		a := mustCustomer(t, ctx, db, &kewei.Customer{Name: "张三", Phones: []kewei.Phone{{Number: "138 1234 5678"}}, Email: "zs@example.com"})
		b := mustCustomer(t, ctx, db, &kewei.Customer{Name: "张三丰", Phones: []kewei.Phone{{Number: "+86 13812345678"}}})
		c := mustCustomer(t, ctx, db, &kewei.Customer{Name: "李四", Email: "ZS@example.com", Company: "大华公司"})
		d := mustCustomer(t, ctx, db, &kewei.Customer{Name: "李四", Company: "大华公司"})
		mustCustomer(t, ctx, db, &kewei.Customer{Name: "李四", Company: "别的公司"})
		hidden := mustCustomer(t, other, db, &kewei.Customer{Name: "王五", Phones: []kewei.Phone{{Number: "13812345678"}}})
		s := sqlstore.NewDuplicateService(db)
		list, err := s.FindDuplicates(ctx, kewei.DuplicateFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]int64]string{}
		for _, p := range list.Items {
			got[[2]int64{p.A.ID, p.B.ID}] = join(p.Reasons)
		}
		want := map[[2]int64]string{{a.ID, b.ID}: "phone", {a.ID, c.ID}: "email", {c.ID, d.ID}: "name_company"}
		if len(got) != len(want) || list.Total != 3 {
			t.Fatalf("pairs %v, want %v (a pair with another consultant's customer must not show)", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("pair %v: %q, want %q", k, got[k], v)
			}
		}
		all, _ := s.FindDuplicates(sys, kewei.DuplicateFilter{CustomerID: hidden.ID})
		if len(all.Items) != 2 {
			t.Fatalf("the system sees %d pairs of the other consultant's customer, want 2", len(all.Items))
		}
		if err := s.DismissDuplicate(ctx, list.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if list, _ = s.FindDuplicates(ctx, kewei.DuplicateFilter{}); list.Total != 2 {
			t.Fatalf("after dismissing one: %d pairs", list.Total)
		}
	})
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

func TestMergeAndUnmerge(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		keep := mustCustomer(t, ctx, db, &kewei.Customer{Name: "张三", Phones: []kewei.Phone{{Number: "13812345678"}}, Tags: []string{"车主"}})
		drop := mustCustomer(t, ctx, db, &kewei.Customer{Name: "张三", ExternalID: "C9", Phones: []kewei.Phone{{Number: "13900001111"}},
			Email: "zs@example.com", City: "深圳市", Province: "广东省", Tags: []string{"VIP"}})
		recs := sqlstore.NewRecords(db)
		tr := &kewei.Transaction{OccurredAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Amount: 5000, ExternalID: "INV1"}
		same := &kewei.Transaction{OccurredAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Amount: 700, ExternalID: "INV1"}
		in := &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访", OccurredAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		ct := &kewei.Contact{Name: "张太太"}
		for _, err := range []error{recs.Transactions.Create(ctx, drop.ID, tr), recs.Transactions.Create(ctx, keep.ID, same),
			recs.Interactions.Create(ctx, drop.ID, in), recs.Contacts.Create(ctx, drop.ID, ct)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		cs := sqlstore.NewCustomerService(db)
		drop, _ = cs.FindCustomerByID(ctx, drop.ID)
		s := sqlstore.NewDuplicateService(db)

		if _, err := s.MergeCustomers(ctx, kewei.MergeRequest{KeepID: keep.ID, KeepVersion: 1, DropID: drop.ID, DropVersion: 99}); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a merge of a changed customer: %v", err)
		}
		m, err := s.MergeCustomers(ctx, kewei.MergeRequest{KeepID: keep.ID, KeepVersion: keep.Version, DropID: drop.ID, DropVersion: drop.Version})
		if err != nil {
			t.Fatal(err)
		}
		if m.Moved["transactions"] != 1 || m.Moved["interactions"] != 1 || m.Moved["contacts"] != 1 {
			t.Fatalf("moved %v", m.Moved)
		}
		if _, err := cs.FindCustomerByID(ctx, drop.ID); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Fatalf("the merged customer is still there: %v", err)
		}
		got, _ := cs.FindCustomerByID(ctx, keep.ID)
		if got.Email != "zs@example.com" || got.ExternalID != "C9" || len(got.Phones) != 2 || len(got.Tags) != 2 || got.City != "深圳市" ||
			got.LastContactAt == nil {
			t.Fatalf("kept customer after the merge: %+v", got)
		}
		ts, _ := recs.Transactions.List(ctx, kewei.RecordFilter{CustomerID: keep.ID})
		if len(ts.Items) != 2 || ts.Items[0].ExternalID == ts.Items[1].ExternalID {
			t.Fatalf("transactions after the merge: %+v", ts.Items)
		}
		found, _ := cs.FindCustomers(ctx, kewei.CustomerFilter{Query: "13900001111"})
		if len(found.Items) != 1 || found.Items[0].ID != keep.ID {
			t.Fatalf("the merged phone does not find the kept customer: %+v", found.Items)
		}

		// A change after the merge survives the undo.
		var p kewei.Patch
		p.Version = got.Version
		p.Set("city", "广州市")
		if got, err = cs.UpdateCustomer(ctx, keep.ID, p); err != nil {
			t.Fatal(err)
		}
		later := &kewei.Interaction{Kind: kewei.InteractionVisit, Summary: "合并后拜访", OccurredAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
		recs.Interactions.Create(ctx, keep.ID, later)

		if _, err := s.UnmergeCustomers(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		back, err := cs.FindCustomerByID(ctx, drop.ID)
		if err != nil || back.Email != "zs@example.com" || back.ExternalID != "C9" || back.Name != "张三" {
			t.Fatalf("the merged customer after the undo: %+v %v", back, err)
		}
		kept, _ := cs.FindCustomerByID(ctx, keep.ID)
		if kept.Email != "" || kept.ExternalID != "" || len(kept.Phones) != 1 || len(kept.Tags) != 1 || kept.City != "广州市" {
			t.Fatalf("the kept customer after the undo: %+v", kept)
		}
		for id, want := range map[int64]int{drop.ID: 1, keep.ID: 1} {
			ts, _ := recs.Transactions.List(ctx, kewei.RecordFilter{CustomerID: id})
			if len(ts.Items) != want || ts.Items[0].ExternalID != "INV1" {
				t.Fatalf("customer %d's transactions after the undo: %+v", id, ts.Items)
			}
		}
		ins, _ := recs.Interactions.List(ctx, kewei.RecordFilter{CustomerID: keep.ID})
		if len(ins.Items) != 1 || ins.Items[0].Summary != "合并后拜访" {
			t.Fatalf("interactions added after the merge must stay: %+v", ins.Items)
		}
		if _, err := s.UnmergeCustomers(ctx, m.ID); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("undoing twice: %v", err)
		}
		merges, err := s.FindMerges(ctx)
		if err != nil || len(merges) != 1 || merges[0].UndoneAt == nil {
			t.Fatalf("merges %+v %v", merges, err)
		}
		if check, err := sqlstore.NewAuditService(db).VerifyAudit(sys); err != nil || check.BrokenAt != 0 {
			t.Fatalf("audit chain: %+v %v", check, err)
		}
	})
}

func TestUnmergeWindow(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		a := mustCustomer(t, ctx, db, &kewei.Customer{Name: "甲"})
		b := mustCustomer(t, ctx, db, &kewei.Customer{Name: "乙"})
		other, _ := mustUser(t, db, "zhaoqiang", kewei.RoleConsultant)
		s := sqlstore.NewDuplicateService(db)
		if _, err := s.MergeCustomers(other, kewei.MergeRequest{KeepID: a.ID, KeepVersion: 1, DropID: b.ID, DropVersion: 1}); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Fatalf("merging another's customers: %v", err)
		}
		m, err := s.MergeCustomers(ctx, kewei.MergeRequest{KeepID: a.ID, KeepVersion: 1, DropID: b.ID, DropVersion: 1})
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(31 * 24 * time.Hour)
		if _, err := s.UnmergeCustomers(ctx, m.ID); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("undoing after 31 days: %v", err)
		}
	})
}

// TestScanWaysAgree finds the same pairs by looking customers up and by
// walking the sorted keys.
func TestScanWaysAgree(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		start := db.Now()
		bulk, err := db.StartBulk(sys)
		if err != nil {
			t.Fatal(err)
		}
		b := &kewei.Batch{}
		for i, c := range []*kewei.Customer{
			{Name: "甲", Phones: []kewei.Phone{{Number: "13800000001"}}},
			{Name: "乙", Phones: []kewei.Phone{{Number: "13800000001"}}, Email: "x@example.com"},
			{Name: "丙", Email: "X@example.com"},
			{Name: "丁", Company: "大华"},
			{Name: "丁", Company: "大华"},
			{Name: "戊", Company: "大华"},
		} {
			c.ID, c.Kind, c.CreatedAt, c.UpdatedAt = db.NewID(), kewei.KindIndividual, start, start
			b.Customers = append(b.Customers, c)
			_ = i
		}
		if err := bulk.Load(sys, b); err != nil {
			t.Fatal(err)
		}
		if err := bulk.Finish(sys); err != nil {
			t.Fatal(err)
		}
		s := sqlstore.NewDuplicateService(db)
		defer sqlstore.SetScanByLookup(0)()
		n, err := s.ScanDuplicates(sys, start)
		if err != nil || n != 3 {
			t.Fatalf("sorted scan found %d pairs (%v), want 3", n, err)
		}
		sqlstore.SetScanByLookup(1000)
		if n, err := s.ScanDuplicates(sys, start); err != nil || n != 0 {
			t.Fatalf("the lookup scan found %d more pairs (%v), want none", n, err)
		}
	})
}

// TestNumbersUniqueAfterBigImport writes a transaction with a number the
// import also writes while the import has dropped the unique index: the
// index comes back, with the later copy removed.
func TestNumbersUniqueAfterBigImport(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		c := mustCustomer(t, sys, db, &kewei.Customer{Name: "张三"})
		s := sqlstore.NewImportStore(db)
		imp := &kewei.Import{Kind: "transactions", FileName: "t.csv", Checksum: "x", Big: true}
		if err := s.BeginImport(sys, imp, false); err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		tr := &kewei.Transaction{ID: db.NewID(), CustomerID: c.ID, OccurredAt: now, Amount: 100, Quantity: 1, ExternalID: "INV1#1",
			CreatedAt: now, UpdatedAt: now, Version: 1}
		imp.Lines, imp.Imported = 1, 1
		if err := s.WriteBatch(sys, imp, 0, &kewei.Batch{Transactions: []*kewei.Transaction{tr}}, nil); err != nil {
			t.Fatal(err)
		}
		twin := &kewei.Transaction{OccurredAt: now, Amount: 100, ExternalID: "INV1#1"}
		if err := sqlstore.NewRecords(db).Transactions.Create(sys, c.ID, twin); err != nil {
			t.Fatalf("a write beside the import: %v", err)
		}
		imp.Status = kewei.ImportDone
		if err := s.EndImport(sys, imp); err != nil || imp.Error != "" {
			t.Fatalf("end: %v %s", err, imp.Error)
		}
		list, _ := sqlstore.NewRecords(db).Transactions.List(sys, kewei.RecordFilter{CustomerID: c.ID})
		if len(list.Items) != 1 || list.Items[0].ID != tr.ID {
			t.Fatalf("transactions after the import: %+v", list.Items)
		}
		again := &kewei.Transaction{OccurredAt: now, Amount: 100, ExternalID: "INV1#1"}
		if err := sqlstore.NewRecords(db).Transactions.Create(sys, c.ID, again); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("the unique index is not back: %v", err)
		}
	})
}
