package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/totp"
)

func TestConsentIsChecked(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		ctx, c := w.as["c1"], w.customers["c1"]
		ps, recs := sqlstore.NewPrivacyService(db), sqlstore.NewRecords(db)
		if ok, _ := ps.MayContact(ctx, c.ID, kewei.ChannelPhone); !ok {
			t.Fatal("phone contact refused without any answer")
		}
		if ok, _ := ps.MayContact(ctx, c.ID, kewei.ChannelMarketing); ok {
			t.Fatal("marketing allowed without consent")
		}
		if err := ps.RecordConsent(ctx, c.ID, &kewei.Consent{Channel: kewei.ChannelPhone, Granted: false, Source: "客户电话要求"}); err != nil {
			t.Fatal(err)
		}
		err := recs.Interactions.Create(ctx, c.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访"})
		wantCode(t, err, kewei.EINVALID)
		if f := kewei.ErrorFields(err); len(f) != 1 || f[0].Reason != "no_consent" {
			t.Fatalf("refusal: %v", err)
		}
		if err := recs.Interactions.Create(ctx, c.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Direction: kewei.DirectionIn,
			Summary: "客户来电"}); err != nil {
			t.Fatalf("an inbound call is still logged: %v", err)
		}
		if err := ps.RecordConsent(ctx, c.ID, &kewei.Consent{Channel: kewei.ChannelPhone, Granted: true, Source: "签字同意书"}); err != nil {
			t.Fatal(err)
		}
		if err := recs.Interactions.Create(ctx, c.ID, &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "回访"}); err != nil {
			t.Fatalf("after consent again: %v", err)
		}
		ledger, _ := ps.FindConsents(ctx, c.ID)
		if len(ledger) != 2 || !ledger[0].Granted {
			t.Fatalf("ledger %+v", ledger)
		}
		_, err = ps.FindConsents(w.as["c3"], c.ID)
		wantCode(t, err, kewei.ENOTFOUND)
	})
}

func TestExportAndErase(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		c := w.customers["c1"]
		ps, recs, cs := sqlstore.NewPrivacyService(db), sqlstore.NewRecords(db), sqlstore.NewCustomerService(db)
		ctx := w.as["c1"]
		recs.Contacts.Create(ctx, c.ID, &kewei.Contact{Name: "李太太", Phones: []kewei.Phone{{Number: "13911112222"}}})
		recs.Interactions.Create(ctx, c.ID, &kewei.Interaction{Kind: kewei.InteractionVisit, Summary: "上门拜访张先生，住址 人民路1号"})
		recs.Holdings.Create(ctx, c.ID, &kewei.Holding{Product: "理财", Serial: "6222000011112222"})

		out, err := ps.ExportPerson(ctx, c.ID)
		if err != nil || out.Customer.Phones[0].Number != "13800138001" || len(out.Contacts) != 1 || len(out.Interactions) != 1 {
			t.Fatalf("export: %+v %v", out, err)
		}
		_, err = ps.ExportPerson(w.as["c3"], c.ID)
		wantCode(t, err, kewei.ENOTFOUND)
		wantCode(t, ps.ErasePerson(ctx, c.ID, "客户要求"), kewei.EFORBIDDEN)
		wantCode(t, ps.ErasePerson(w.as["admin"], c.ID, " "), kewei.EINVALID)
		if err := ps.ErasePerson(w.as["admin"], c.ID, "客户书面要求删除"); err != nil {
			t.Fatal(err)
		}
		got, err := cs.FindCustomerByID(ctx, c.ID)
		if err != nil || got.Name != "已抹除" || len(got.Phones) != 0 || got.Email != "" || !got.Birthday.IsZero() || got.ErasedAt == nil {
			t.Fatalf("after erasure: %+v %v", got, err)
		}
		for _, q := range []string{"13800138001", "客户c1", "c1@example.com"} {
			if l, _ := cs.FindCustomers(ctx, kewei.CustomerFilter{Query: q}); l.Total != 0 {
				t.Errorf("search %q still finds the erased person", q)
			}
		}
		ins, _ := recs.Interactions.List(ctx, kewei.RecordFilter{CustomerID: c.ID})
		if len(ins.Items) != 1 || strings.Contains(ins.Items[0].Summary, "人民路") {
			t.Fatalf("interaction kept, text gone: %+v", ins.Items)
		}
		// The audit log forgot the person and still verifies.
		log, _ := sqlstore.NewAuditService(db).FindAudit(w.as["aud"], kewei.AuditFilter{CustomerID: c.ID, ObjectType: "customer", Action: "create"})
		if len(log.Items) != 1 || !log.Items[0].Erased {
			t.Fatalf("audit payload not erased: %+v", log.Items)
		}
		if check, _ := sqlstore.NewAuditService(db).VerifyAudit(sys); check.BrokenAt != 0 {
			t.Fatalf("erasure broke the chain: %+v", check)
		}
		var p kewei.Patch
		p.Version = got.Version
		p.Set("name", "复活")
		_, err = cs.UpdateCustomer(ctx, c.ID, p)
		wantCode(t, err, kewei.ECONFLICT)
		wantCode(t, ps.ErasePerson(w.as["admin"], c.ID, "again"), kewei.ECONFLICT)
	})
}

func TestRetention(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		cs := sqlstore.NewCustomerService(db)
		for _, owner := range []string{"c1", "c2"} {
			c := w.customers[owner]
			var p kewei.Patch
			p.Version = c.Version
			p.Set("stage", "lost")
			if _, err := cs.UpdateCustomer(w.as[owner], c.ID, p); err != nil {
				t.Fatal(err)
			}
		}
		ps := sqlstore.NewPrivacyService(db)
		if n, err := ps.ApplyRetention(sys, 3); err != nil || n != 0 {
			t.Fatalf("nothing is old yet: %d %v", n, err)
		}
		db.Now = func() time.Time { return time.Now().AddDate(4, 0, 0) }
		if n, err := ps.ApplyRetention(sys, 3); err != nil || n != 2 {
			t.Fatalf("two lost customers past retention: %d %v", n, err)
		}
		_, err := ps.ApplyRetention(w.as["c1"], 3)
		wantCode(t, err, kewei.EFORBIDDEN)
	})
}

func TestSignInDelaysAndTOTP(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		_, u := mustUser(t, db, "wangli", kewei.RoleAdministrator)
		auth := sqlstore.NewAuthService(db, time.Hour)
		clock := time.Now()
		db.Now = func() time.Time { return clock }
		for _, name := range []string{"wangli", "nobody"} {
			for i := 0; i < 3; i++ {
				_, err := auth.SignIn(sys, kewei.SignIn{Name: name, Password: "wrong password"})
				wantCode(t, err, kewei.EUNAUTHORIZED)
			}
			_, err := auth.SignIn(sys, kewei.SignIn{Name: name, Password: "correct horse battery"})
			wantCode(t, err, kewei.ETOOMANY)
			if d := kewei.ErrorRetryAfter(err); d <= 0 || d > time.Second {
				t.Fatalf("%s: wait %v after three failures", name, d)
			}
		}
		clock = clock.Add(2 * time.Second)
		if _, err := auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery"}); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
		// Turn on the authenticator.
		a, _ := db.ActorFor(sys, u.ID)
		ctx := kewei.WithActor(sys, a)
		secret, url, err := auth.StartTOTP(ctx)
		if err != nil || !strings.Contains(url, secret) {
			t.Fatalf("start: %v", err)
		}
		wantCode(t, auth.EnableTOTP(ctx, "000000"), kewei.EINVALID)
		code, _ := totp.Code(secret, clock)
		if err := auth.EnableTOTP(ctx, code); err != nil {
			t.Fatal(err)
		}
		_, err = auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery"})
		wantCode(t, err, kewei.EUNAUTHORIZED)
		if f := kewei.ErrorFields(err); len(f) != 1 || f[0].Field != "code" {
			t.Fatalf("missing code: %v", err)
		}
		if _, err := auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery", Code: code}); err != nil {
			t.Fatalf("with the code: %v", err)
		}
	})
}
