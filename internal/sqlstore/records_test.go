package sqlstore_test

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestRecordsAndTimeline(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, u := mustUser(t, db, "wangli", kewei.RoleConsultant)
		clock := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		c := mustCustomer(t, ctx, db, &kewei.Customer{Name: "腾达公司", Kind: kewei.KindCompany})
		r := sqlstore.NewRecords(db)

		clock = clock.Add(time.Hour)
		ct := &kewei.Contact{Name: "赵总", Role: kewei.ContactDecisionMaker, Phones: []kewei.Phone{{Number: "021-5555 1234"}}}
		if err := r.Contacts.Create(ctx, c.ID, ct); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		h := &kewei.Holding{Product: "途观L", Category: "car", Value: 25000000, AcquiredOn: kewei.Date{Year: 2026, Month: 3, Day: 1}}
		if err := r.Holdings.Create(ctx, c.ID, h); err != nil {
			t.Fatal(err)
		}
		profit := kewei.Money(1200000)
		tr := &kewei.Transaction{OccurredAt: time.Date(2026, 2, 28, 8, 0, 0, 0, time.UTC), Amount: 25000000, Profit: &profit, Product: "途观L"}
		if err := r.Transactions.Create(ctx, c.ID, tr); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		in := &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "交车后首次回访，客户满意", Purpose: kewei.PurposeRelationship}
		if err := r.Interactions.Create(ctx, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if in.UserID != u.ID || !in.OccurredAt.Equal(clock) {
			t.Fatalf("interaction defaults: %+v", in)
		}
		got, _ := sqlstore.NewCustomerService(db).FindCustomerByID(ctx, c.ID)
		if got.LastContactAt == nil || !got.LastContactAt.Equal(clock) || got.Version != 1 {
			t.Fatalf("last contact %v version %d", got.LastContactAt, got.Version)
		}
		// A call logged after the fact leaves the last contact where it is.
		earlier := &kewei.Interaction{Kind: kewei.InteractionCall, Summary: "补记上周电话", OccurredAt: clock.Add(-7 * 24 * time.Hour)}
		if err := r.Interactions.Create(ctx, c.ID, earlier); err != nil {
			t.Fatal(err)
		}
		got, _ = sqlstore.NewCustomerService(db).FindCustomerByID(ctx, c.ID)
		if got.LastContactAt == nil || !got.LastContactAt.Equal(clock) {
			t.Fatalf("last contact after a backdated call: %v, want %v", got.LastContactAt, clock)
		}
		if err := r.Interactions.Delete(ctx, earlier.ID, 1); err != nil {
			t.Fatal(err)
		}

		// Versioned update and delete of a record.
		var p kewei.Patch
		p.Version = 1
		p.Set("outcome", "预约首保")
		if _, err := r.Interactions.Update(ctx, in.ID, p); err != nil {
			t.Fatal(err)
		}
		_, err := r.Interactions.Update(ctx, in.ID, p)
		wantCode(t, err, kewei.ECONFLICT)
		err = r.Contacts.Create(ctx, c.ID, &kewei.Contact{Role: "boss"})
		wantCode(t, err, kewei.EINVALID)
		err = r.Contacts.Create(ctx, 12345, &kewei.Contact{Name: "x"})
		wantCode(t, err, kewei.ENOTFOUND)

		tl, err := sqlstore.NewTimelineService(db).FindTimeline(ctx, kewei.TimelineFilter{CustomerID: c.ID, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range tl.Items {
			kinds = append(kinds, e.Kind)
		}
		if len(kinds) != 3 || kinds[0] != "interaction" || kinds[1] != "holding" || kinds[2] != "contact" || tl.Next == "" || tl.Total != 5 {
			t.Fatalf("timeline page 1: %v next %q total %d", kinds, tl.Next, tl.Total)
		}
		if tl.Items[0].UserName != "wangli" || tl.Items[0].Detail != "预约首保" {
			t.Fatalf("timeline entry %+v", tl.Items[0])
		}
		tl, err = sqlstore.NewTimelineService(db).FindTimeline(ctx, kewei.TimelineFilter{CustomerID: c.ID, Limit: 3, Cursor: tl.Next})
		if err != nil || len(tl.Items) != 2 || tl.Items[0].Kind != "created" || tl.Items[1].Kind != "transaction" || tl.Next != "" {
			t.Fatalf("timeline page 2: %+v %v", tl, err)
		}
		if tl.Items[1].Amount == nil || *tl.Items[1].Amount != 25000000 {
			t.Fatalf("transaction amount %v", tl.Items[1].Amount)
		}

		list, err := r.Transactions.List(ctx, kewei.RecordFilter{CustomerID: c.ID})
		if err != nil || len(list.Items) != 1 || *list.Items[0].Profit != profit {
			t.Fatalf("transactions: %+v %v", list, err)
		}
		if err := r.Interactions.Delete(ctx, in.ID, 2); err != nil {
			t.Fatal(err)
		}
		got, _ = sqlstore.NewCustomerService(db).FindCustomerByID(ctx, c.ID)
		if got.LastContactAt != nil {
			t.Fatalf("last contact after delete: %v", got.LastContactAt)
		}
		// Deleting the customer takes its records with it.
		if err := sqlstore.NewCustomerService(db).DeleteCustomer(ctx, c.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		_, err = r.Holdings.Find(ctx, h.ID)
		wantCode(t, err, kewei.ENOTFOUND)
	})
}

func TestSignIn(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		_, u := mustUser(t, db, "WangLi", kewei.RoleConsultant)
		auth := sqlstore.NewAuthService(db, time.Hour)
		_, err := auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "wrong password!"})
		wantCode(t, err, kewei.EUNAUTHORIZED)
		_, err = auth.SignIn(sys, kewei.SignIn{Name: "nobody", Password: "correct horse battery"})
		wantCode(t, err, kewei.EUNAUTHORIZED)
		sess, err := auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := auth.Authenticate(sys, sess.Token)
		if err != nil || a.UserID != u.ID || a.Role != kewei.RoleConsultant {
			t.Fatalf("authenticate: %+v %v", a, err)
		}
		_, err = auth.Authenticate(sys, sess.Token+"x")
		wantCode(t, err, kewei.EUNAUTHORIZED)

		ctx := kewei.WithActor(sys, a)
		token, tok, err := auth.CreateToken(ctx, u.ID, "nightly export", 0)
		if err != nil {
			t.Fatal(err)
		}
		if a2, err := auth.Authenticate(sys, token); err != nil || a2.UserID != u.ID {
			t.Fatalf("api token: %v", err)
		}
		if err := auth.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = auth.Authenticate(sys, token)
		wantCode(t, err, kewei.EUNAUTHORIZED)

		// Sessions expire.
		db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		_, err = auth.Authenticate(sys, sess.Token)
		wantCode(t, err, kewei.EUNAUTHORIZED)
		db.Now = time.Now

		// A disabled user cannot sign in, and their sessions end.
		sess, _ = auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery"})
		var p kewei.Patch
		p.Version = u.Version
		p.Set("disabled", true)
		if _, err := sqlstore.NewUserService(db).UpdateUser(sys, u.ID, p); err != nil {
			t.Fatal(err)
		}
		_, err = auth.Authenticate(sys, sess.Token)
		wantCode(t, err, kewei.EUNAUTHORIZED)
		_, err = auth.SignIn(sys, kewei.SignIn{Name: "wangli", Password: "correct horse battery"})
		wantCode(t, err, kewei.EUNAUTHORIZED)
	})
}

func TestUsers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, u := mustUser(t, db, "wangli", kewei.RoleConsultant)
		us := sqlstore.NewUserService(db)
		wantCode(t, us.CreateUser(ctx, &kewei.User{Name: "x", Role: kewei.RoleAuditor}, ""), kewei.EFORBIDDEN)
		wantCode(t, us.CreateUser(sys, &kewei.User{Name: "WANGLI", Role: kewei.RoleAuditor}, ""), kewei.ECONFLICT)
		wantCode(t, us.CreateUser(sys, &kewei.User{Name: "li", Role: "boss"}, "short"), kewei.EINVALID)
		var p kewei.Patch
		p.Version = u.Version
		p.Set("role", "administrator")
		_, err := us.UpdateUser(ctx, u.ID, p)
		wantCode(t, err, kewei.EFORBIDDEN)
		wantCode(t, us.SetPassword(ctx, u.ID, "wrong", "a new long password"), kewei.EINVALID)
		if err := us.SetPassword(ctx, u.ID, "correct horse battery", "a new long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlstore.NewAuthService(db, time.Hour).SignIn(sys, kewei.SignIn{Name: "wangli", Password: "a new long password"}); err != nil {
			t.Fatal(err)
		}
	})
}
