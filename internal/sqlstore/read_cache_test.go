package sqlstore_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// List totals and custom fields are kept between requests, and every
// change that could alter them is seen at once.
func TestCachedAnswersFollowWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		cs, recs := sqlstore.NewCustomerService(db), sqlstore.NewRecords(db)
		var counts atomic.Int64
		db.SetTrace(func(q string, _ []any) {
			if strings.HasPrefix(q, "SELECT COUNT(*)") {
				counts.Add(1)
			}
		})
		total := func(f kewei.CustomerFilter, want int, counted bool) {
			t.Helper()
			before := counts.Load()
			list, err := cs.FindCustomers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if list.Total != want {
				t.Fatalf("%+v: total %d, want %d", f, list.Total, want)
			}
			if got := counts.Load() > before; got != counted {
				t.Fatalf("%+v: counted again = %v, want %v", f, got, counted)
			}
		}
		a := mustCustomer(t, ctx, db, &kewei.Customer{Name: "张一"})
		mustCustomer(t, ctx, db, &kewei.Customer{Name: "张二", Tags: []string{"vip"}})
		all, search, vip := kewei.CustomerFilter{}, kewei.CustomerFilter{Query: "张"}, kewei.CustomerFilter{Tag: "vip"}
		total(all, 2, true)
		total(all, 2, false)
		total(search, 2, true)
		total(search, 2, false)
		total(vip, 1, true)

		// Logging a call keeps the totals; a filter on the last contact
		// is counted every time.
		if err := recs.Interactions.Create(ctx, a.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访"}); err != nil {
			t.Fatal(err)
		}
		total(all, 2, false)
		contacted := kewei.CustomerFilter{LastContactFrom: time.Now().Add(-time.Hour)}
		total(contacted, 1, true)
		total(contacted, 1, true)

		// A new customer, a tag, a rename: each seen by the next list.
		mustCustomer(t, ctx, db, &kewei.Customer{Name: "李三"})
		total(all, 3, true)
		total(search, 2, true)
		p := kewei.Patch{Version: a.Version}
		p.Set("tags", []string{"vip"})
		if _, err := cs.UpdateCustomer(ctx, a.ID, p); err != nil {
			t.Fatal(err)
		}
		total(vip, 2, true)
		p = kewei.Patch{Version: a.Version + 1}
		p.Set("name", "王一")
		if _, err := cs.UpdateCustomer(ctx, a.ID, p); err != nil {
			t.Fatal(err)
		}
		total(search, 1, true)

		// A custom field's new label shows on the next read.
		fs := sqlstore.NewCustomFieldService(db)
		f := &kewei.CustomField{Key: "plate", LabelZH: "车牌", Type: kewei.FieldText}
		if err := fs.CreateCustomField(sys, f); err != nil {
			t.Fatal(err)
		}
		label := func(want string) {
			t.Helper()
			set, err := fs.FindCustomFields(ctx)
			if err != nil || len(set) != 1 || set[0].LabelZH != want {
				t.Fatalf("fields = %v, %v; want one labelled %s", set, err, want)
			}
			set[0].LabelZH = "changed by the caller"
		}
		label("车牌")
		label("车牌")
		fp := kewei.Patch{Version: f.Version}
		fp.Set("label_zh", "车牌号")
		if _, err := fs.UpdateCustomField(sys, f.ID, fp); err != nil {
			t.Fatal(err)
		}
		label("车牌号")
	})
}
