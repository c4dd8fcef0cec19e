package sqlstore_test

import (
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestCustomerLifecycle(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, u := mustUser(t, db, "wangli", kewei.RoleConsultant)
		s := sqlstore.NewCustomerService(db)
		c := mustCustomer(t, ctx, db, &kewei.Customer{
			Name: " 张三 ", Phones: []kewei.Phone{{Number: "+86 138-1234-5678"}}, Email: "ZS@Example.com",
			Province: "广东省", City: "深圳市", Tags: []string{"车主", "车主", " VIP "},
			Birthday: kewei.Date{Year: 1985, Month: 5, Day: 17}, Stage: kewei.StageCustomer,
			ImportantDates: []kewei.ImportantDate{{Kind: "delivery", Date: kewei.Date{Year: 2026, Month: 3, Day: 1}}},
		})
		if c.ID == 0 || c.Version != 1 || c.OwnerID != u.ID {
			t.Fatalf("created %+v", c)
		}
		got, err := s.FindCustomerByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "张三" || got.NamePinyin != "zhang san" || got.Phones[0].Number != "13812345678" ||
			got.Email != "zs@example.com" || len(got.Tags) != 2 || got.OwnerName != "wangli" ||
			got.Birthday.String() != "1985-05-17" || got.ImportantDates[0].Date.String() != "2026-03-01" {
			t.Fatalf("read back %+v", got)
		}
		if !got.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("created_at %v, stored %v", got.CreatedAt, c.CreatedAt)
		}

		var p kewei.Patch
		p.Version = 1
		p.Set("name", "张三丰").Set("intent", "H")
		upd, err := s.UpdateCustomer(ctx, c.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if upd.Version != 2 || upd.Name != "张三丰" || upd.Intent != kewei.IntentH || upd.Email != "zs@example.com" {
			t.Fatalf("updated %+v", upd)
		}

		// The same patch again carries a stale version: refused, nothing applied.
		p.Set("name", "李四")
		_, err = s.UpdateCustomer(ctx, c.ID, p)
		wantCode(t, err, kewei.ECONFLICT)
		if got, _ := s.FindCustomerByID(ctx, c.ID); got.Name != "张三丰" || got.Version != 2 {
			t.Fatalf("stale update applied: %+v", got)
		}
		wantCode(t, s.DeleteCustomer(ctx, c.ID, 1), kewei.ECONFLICT)
		if err := s.DeleteCustomer(ctx, c.ID, 2); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindCustomerByID(ctx, c.ID)
		wantCode(t, err, kewei.ENOTFOUND)
		wantCode(t, s.DeleteCustomer(ctx, c.ID, 2), kewei.ENOTFOUND)
	})
}

func TestCustomerValidation(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		s := sqlstore.NewCustomerService(db)
		err := s.CreateCustomer(ctx, &kewei.Customer{Name: "", Phones: []kewei.Phone{{Number: "12"}},
			Email: "nope", Stage: "gone", OwnerID: 999})
		wantCode(t, err, kewei.EINVALID)
		fields := map[string]bool{}
		for _, f := range kewei.ErrorFields(err) {
			fields[f.Field] = true
		}
		for _, f := range []string{"name", "phones[0].number", "email", "stage", "owner_id"} {
			if !fields[f] {
				t.Errorf("no error for %s in %v", f, kewei.ErrorFields(err))
			}
		}

		mustCustomer(t, ctx, db, &kewei.Customer{Name: "甲", ExternalID: "C-1"})
		err = s.CreateCustomer(ctx, &kewei.Customer{Name: "乙", ExternalID: "C-1"})
		wantCode(t, err, kewei.ECONFLICT)
		if f := kewei.ErrorFields(err); len(f) != 1 || f[0].Field != "external_id" {
			t.Fatalf("duplicate external id: %v", err)
		}

		var p kewei.Patch
		p.Version = 1
		p.Set("id", 5).Set("nickname", "x").Set("gender", 3)
		c := mustCustomer(t, ctx, db, &kewei.Customer{Name: "丙"})
		_, err = s.UpdateCustomer(ctx, c.ID, p)
		wantCode(t, err, kewei.EINVALID)
		if n := len(kewei.ErrorFields(err)); n != 3 {
			t.Fatalf("want 3 problems (read-only, unknown, wrong type), got %v", kewei.ErrorFields(err))
		}
	})
}

func TestCustomFields(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		fs := sqlstore.NewCustomFieldService(db)
		wantCode(t, fs.CreateCustomField(ctx, &kewei.CustomField{Key: "x", LabelZH: "x", Type: kewei.FieldText}), kewei.EFORBIDDEN)
		for _, f := range []*kewei.CustomField{
			{Key: "car_model", LabelZH: "车型", Type: kewei.FieldChoice, Choices: []string{"轿车", "SUV"}, Required: true},
			{Key: "budget", LabelZH: "预算", Type: kewei.FieldNumber},
			{Key: "visit_day", LabelZH: "到店日", Type: kewei.FieldDate},
		} {
			if err := fs.CreateCustomField(sys, f); err != nil {
				t.Fatal(err)
			}
		}
		s := sqlstore.NewCustomerService(db)
		err := s.CreateCustomer(ctx, &kewei.Customer{Name: "甲", Custom: map[string]any{
			"car_model": "卡车", "budget": "lots", "visit_day": "2026-13-01", "color": "red"}})
		wantCode(t, err, kewei.EINVALID)
		if n := len(kewei.ErrorFields(err)); n != 4 {
			t.Fatalf("want 4 problems, got %v", kewei.ErrorFields(err))
		}
		err = s.CreateCustomer(ctx, &kewei.Customer{Name: "甲"})
		wantCode(t, err, kewei.EINVALID) // car_model is required
		c := mustCustomer(t, ctx, db, &kewei.Customer{Name: "甲", Custom: map[string]any{
			"car_model": "SUV", "budget": 200000.0, "visit_day": "2026-12-01"}})

		// Removing a definition hides its values; the rest still validate.
		set, _ := fs.FindCustomFields(ctx)
		if err := fs.DeleteCustomField(sys, set[1].ID, set[1].Version); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindCustomerByID(ctx, c.ID)
		if _, ok := got.Custom["budget"]; ok || got.Custom["car_model"] != "SUV" {
			t.Fatalf("custom after delete: %v", got.Custom)
		}
		var p kewei.Patch
		p.Version = got.Version
		p.Fields = nil
		p.Set("custom", map[string]any{"visit_day": nil})
		upd, err := s.UpdateCustomer(ctx, c.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := upd.Custom["visit_day"]; ok || upd.Custom["car_model"] != "SUV" {
			t.Fatalf("merge patch of custom: %v", upd.Custom)
		}

		var fp kewei.Patch
		fp.Version = set[0].Version
		fp.Set("type", "text").Set("label_en", "Model")
		_, err = fs.UpdateCustomField(sys, set[0].ID, fp)
		wantCode(t, err, kewei.EINVALID)
	})
}
