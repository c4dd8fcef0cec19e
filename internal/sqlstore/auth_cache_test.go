package sqlstore_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// Who a token is, is kept for a moment; every change to access made
// through the store takes effect on the next request all the same.
func TestAuthenticateFollowsChanges(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		auth := sqlstore.NewAuthService(db, time.Hour)
		users := sqlstore.NewUserService(db)
		_, u := mustUser(t, db, "wang", kewei.RoleConsultant)
		sess, err := auth.SignIn(sys, kewei.SignIn{Name: "wang", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		tok, apiTok, err := auth.CreateToken(sys, u.ID, "script", 0)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // the second and third come from the cache
			for _, s := range []string{sess.Token, tok} {
				if a, err := auth.Authenticate(sys, s); err != nil || a.Role != kewei.RoleConsultant {
					t.Fatalf("authenticate: %+v %v", a, err)
				}
			}
		}
		// A role change shows at once.
		p := kewei.Patch{Version: u.Version, Fields: map[string]json.RawMessage{"role": json.RawMessage(`"manager"`)}}
		if u, err = users.UpdateUser(sys, u.ID, p); err != nil {
			t.Fatal(err)
		}
		if a, err := auth.Authenticate(sys, tok); err != nil || a.Role != kewei.RoleManager {
			t.Fatalf("after the role change: %+v %v", a, err)
		}
		// So does a revoked token, a signed-out session, a disabled user.
		if err := auth.RevokeToken(sys, apiTok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(sys, tok); kewei.ErrorCode(err) != kewei.EUNAUTHORIZED {
			t.Fatalf("a revoked token: %v", err)
		}
		sess2, err := auth.SignIn(sys, kewei.SignIn{Name: "wang", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(sys, sess2.Token); err != nil {
			t.Fatal(err)
		}
		if err := auth.SignOut(sys, sess.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(sys, sess.Token); kewei.ErrorCode(err) != kewei.EUNAUTHORIZED {
			t.Fatalf("a signed-out session: %v", err)
		}
		p = kewei.Patch{Version: u.Version, Fields: map[string]json.RawMessage{"disabled": json.RawMessage(`true`)}}
		if _, err = users.UpdateUser(sys, u.ID, p); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(sys, sess2.Token); kewei.ErrorCode(err) != kewei.EUNAUTHORIZED {
			t.Fatalf("a disabled user's session: %v", err)
		}
		// A session past its end is refused once the cache's moment is over.
		_, v := mustUser(t, db, "li", kewei.RoleConsultant)
		short := sqlstore.NewAuthService(db, time.Minute)
		s3, err := short.SignIn(sys, kewei.SignIn{Name: "li", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := short.Authenticate(sys, s3.Token); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		if _, err := short.Authenticate(sys, s3.Token); kewei.ErrorCode(err) != kewei.EUNAUTHORIZED {
			t.Fatalf("an expired session of %s: %v", v.Name, err)
		}
	})
}
