package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// world is two regions — 北区 with the sub-team 北区一组, and 南区 — their
// managers, three consultants, a service agent, an auditor and an
// administrator, and one customer per consultant.
type world struct {
	db        *sqlstore.DB
	as        map[string]context.Context // by user name
	customers map[string]*kewei.Customer // by owner name
}

func mustWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	w := &world{db: db, as: map[string]context.Context{}, customers: map[string]*kewei.Customer{}}
	us, ts := sqlstore.NewUserService(db), sqlstore.NewTeamService(db)
	user := func(name string, role kewei.Role, team int64) *kewei.User {
		u := &kewei.User{Name: name, Role: role, TeamID: team}
		if err := us.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	north, south := &kewei.Team{Name: "北区"}, &kewei.Team{Name: "南区"}
	for _, tm := range []*kewei.Team{north, south} {
		if err := ts.CreateTeam(sys, tm); err != nil {
			t.Fatal(err)
		}
	}
	group := &kewei.Team{Name: "北区一组", ParentID: north.ID}
	if err := ts.CreateTeam(sys, group); err != nil {
		t.Fatal(err)
	}
	m1, m2 := user("m1", kewei.RoleManager, north.ID), user("m2", kewei.RoleManager, 0)
	for tm, m := range map[*kewei.Team]*kewei.User{north: m1, south: m2} {
		var p kewei.Patch
		p.Version = tm.Version
		p.Set("manager_id", m.ID)
		if _, err := ts.UpdateTeam(sys, tm.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	user("c1", kewei.RoleConsultant, group.ID)
	user("c2", kewei.RoleConsultant, group.ID)
	user("c3", kewei.RoleConsultant, south.ID)
	user("svc", kewei.RoleService, 0)
	user("aud", kewei.RoleAuditor, 0)
	user("admin", kewei.RoleAdministrator, 0)
	all, _ := us.FindUsers(sys, kewei.UserFilter{})
	for _, u := range all {
		a, err := db.ActorFor(sys, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.as[u.Name] = kewei.WithActor(context.Background(), a)
	}
	for _, owner := range []string{"c1", "c2", "c3"} {
		c := &kewei.Customer{Name: "客户" + owner, Phones: []kewei.Phone{{Number: "1380013800" + owner[1:]}},
			Email: owner + "@example.com", Birthday: kewei.Date{Year: 1980, Month: 3, Day: 4}}
		mustCustomer(t, w.as[owner], db, c)
		w.customers[owner] = c
	}
	return w
}

// visible lists the owners of the customers the user sees in a list.
func (w *world) visible(t *testing.T, user string, f kewei.CustomerFilter) []string {
	t.Helper()
	list, err := sqlstore.NewCustomerService(w.db).FindCustomers(w.as[user], f)
	if err != nil {
		t.Fatalf("%s lists: %v", user, err)
	}
	var out []string
	for _, c := range list.Items {
		out = append(out, c.OwnerName)
	}
	sort.Strings(out)
	if list.Total != len(out) {
		t.Errorf("%s: total %d for %d items", user, list.Total, len(out))
	}
	return out
}

func TestScopesInEveryRead(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		want := map[string]string{"c1": "[c1]", "c3": "[c3]", "m1": "[c1 c2]", "m2": "[c3]", "svc": "[c1 c2 c3]",
			"admin": "[c1 c2 c3]", "aud": "[]"}
		for user, exp := range want {
			for _, f := range []kewei.CustomerFilter{{}, {Query: "客户"}, {Query: "13800138"}, {Query: "kehu"},
				{Query: "客户", Sort: "name"}, {Stages: []kewei.Stage{kewei.StageProspect}}} {
				if got := fmt.Sprint(w.visible(t, user, f)); got != exp {
					t.Errorf("%s with %+v sees %s, want %s", user, f, got, exp)
				}
			}
		}
		cs, tl, recs := sqlstore.NewCustomerService(db), sqlstore.NewTimelineService(db), sqlstore.NewRecords(db)
		other := w.customers["c3"]
		_, err := cs.FindCustomerByID(w.as["c1"], other.ID)
		wantCode(t, err, kewei.ENOTFOUND)
		_, err = tl.FindTimeline(w.as["m1"], kewei.TimelineFilter{CustomerID: other.ID})
		wantCode(t, err, kewei.ENOTFOUND)
		err = recs.Interactions.Create(w.as["c1"], other.ID, &kewei.Interaction{Kind: kewei.InteractionVisit, Summary: "x"})
		wantCode(t, err, kewei.ENOTFOUND)
		var p kewei.Patch
		p.Version = other.Version
		p.Set("name", "偷改")
		_, err = cs.UpdateCustomer(w.as["c2"], other.ID, p)
		wantCode(t, err, kewei.ENOTFOUND)
		wantCode(t, cs.DeleteCustomer(w.as["aud"], other.ID, other.Version), kewei.ENOTFOUND)
		if _, err := cs.FindCustomerByID(w.as["m2"], other.ID); err != nil {
			t.Fatalf("the manager of 南区 cannot open c3's customer: %v", err)
		}
		// A consultant cannot hand a customer to another team; a manager can
		// within theirs.
		mine := w.customers["c1"]
		c2, _ := sqlstore.NewUserService(db).FindUserByName(sys, "c2")
		c3, _ := sqlstore.NewUserService(db).FindUserByName(sys, "c3")
		p = kewei.Patch{Version: mine.Version}
		p.Set("owner_id", c3.ID)
		_, err = cs.UpdateCustomer(w.as["c1"], mine.ID, p)
		wantCode(t, err, kewei.EFORBIDDEN)
		p.Set("owner_id", c2.ID)
		if _, err := cs.UpdateCustomer(w.as["m1"], mine.ID, p); err != nil {
			t.Fatalf("manager hands over within the team: %v", err)
		}
		if got := fmt.Sprint(w.visible(t, "c1", kewei.CustomerFilter{Query: "客户c1"})); got != "[]" {
			t.Errorf("after handover the old owner still finds it: %s", got)
		}
		if got := fmt.Sprint(w.visible(t, "c2", kewei.CustomerFilter{Query: "客户c1"})); got != "[c2]" {
			t.Errorf("after handover the new owner finds %s", got)
		}
		// Every denial is in the audit log.
		log, err := sqlstore.NewAuditService(db).FindAudit(w.as["aud"], kewei.AuditFilter{Action: kewei.ActionDeny})
		if err != nil || log.Total < 5 {
			t.Fatalf("denials audited: %d, %v", log.Total, err)
		}
		_, err = sqlstore.NewAuditService(db).FindAudit(w.as["c1"], kewei.AuditFilter{})
		wantCode(t, err, kewei.EFORBIDDEN)
	})
}

func TestMaskingAndReveal(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustWorld(t, db)
		cs := sqlstore.NewCustomerService(db)
		id := w.customers["c1"].ID
		for user, masked := range map[string]bool{"c1": false, "m1": false, "svc": false, "admin": true, "m2": true} {
			c, err := cs.FindCustomerByID(w.as[user], id)
			if user == "m2" {
				wantCode(t, err, kewei.ENOTFOUND)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			phone := c.Phones[0].Number
			if masked != (phone == "138****8001") || masked != (len(c.Masked) > 0) || masked != c.Birthday.IsZero() {
				t.Errorf("%s sees phone %s, birthday %s, masked %v", user, phone, c.Birthday, c.Masked)
			}
			if masked && c.Email != "c***@example.com" {
				t.Errorf("%s sees email %s", user, c.Email)
			}
		}
		// Lists and search mask the same way.
		list, _ := cs.FindCustomers(w.as["admin"], kewei.CustomerFilter{Query: "13800138001"})
		if len(list.Items) != 1 || list.Items[0].Phones[0].Number != "138****8001" {
			t.Fatalf("search shows %+v", list.Items)
		}
		// An administrator may reveal one field; it is audited.
		v, err := cs.RevealCustomerField(w.as["admin"], id, "phones")
		if err != nil || fmt.Sprint(v) != "[{13800138001 mobile}]" {
			t.Fatalf("reveal: %v %v", v, err)
		}
		_, err = cs.RevealCustomerField(w.as["admin"], id, "name")
		wantCode(t, err, kewei.EINVALID)
		_, err = cs.RevealCustomerField(w.as["c3"], id, "phones")
		wantCode(t, err, kewei.ENOTFOUND)
		log, _ := sqlstore.NewAuditService(db).FindAudit(w.as["aud"], kewei.AuditFilter{Action: kewei.ActionReveal})
		if log.Total != 1 {
			t.Fatalf("reveals audited: %d", log.Total)
		}
		// The auditor reads payloads with personal data masked.
		created, _ := sqlstore.NewAuditService(db).FindAudit(w.as["aud"], kewei.AuditFilter{Action: kewei.ActionCreate, ObjectType: "customer", CustomerID: id})
		if len(created.Items) != 1 || strings.Contains(string(created.Items[0].Payload), "13800138001") || strings.Contains(string(created.Items[0].Payload), "c1@example.com") {
			t.Fatalf("audit payload shows personal data: %s", created.Items[0].Payload)
		}
		// Sending masked values back unchanged is fine; changing them is not.
		c, _ := cs.FindCustomerByID(w.as["admin"], id)
		p := kewei.Patch{Version: c.Version}
		p.Set("phones", c.Phones).Set("email", c.Email).Set("stage", "customer")
		if _, err := cs.UpdateCustomer(w.as["admin"], id, p); err != nil {
			t.Fatalf("echoing masked values: %v", err)
		}
		p = kewei.Patch{Version: c.Version + 1}
		p.Set("phones", []kewei.Phone{{Number: "13900000000"}})
		_, err = cs.UpdateCustomer(w.as["admin"], id, p)
		wantCode(t, err, kewei.EFORBIDDEN)
		if c, _ := cs.FindCustomerByID(w.as["c1"], id); c.Phones[0].Number != "13800138001" {
			t.Fatalf("phone changed to %s", c.Phones[0].Number)
		}
	})
}
