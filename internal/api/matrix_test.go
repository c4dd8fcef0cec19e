package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/wire"
)

var users = []string{"c1", "c2", "c3", "m1", "m2", "svc", "aud", "admin"}

// sees lists whose customers each user's scope covers: c1 and c2 are in
// 北区一组 below 北区 (m1), c3 in 南区 (m2).
var sees = map[string][]string{"c1": {"c1"}, "c2": {"c2"}, "c3": {"c3"}, "m1": {"c1", "c2"}, "m2": {"c3"},
	"svc": {"c1", "c2", "c3"}, "admin": {"c1", "c2", "c3"}, "aud": nil}

// matrixWorld is the API over a store holding that world, a token per user
// and, per consultant, a customer with one record of each kind.
type matrixWorld struct {
	*testServer
	svc    api.Services
	db     *sqlstore.DB
	ids    map[string]int64            // user ids by name
	tokens map[string]string           // by user name
	owned  map[string]map[string]int64 // owner → "customer", "contacts", … → id
}

func mustMatrixWorld(t *testing.T, db *sqlstore.DB) *matrixWorld {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	svc := wire.Services(db, time.Hour, nil)
	a := api.New(svc, api.Options{Logger: slog.New(slog.DiscardHandler), Location: time.UTC})
	w := &matrixWorld{testServer: &testServer{Server: httptest.NewServer(a), api: a}, svc: svc, db: db,
		ids: map[string]int64{}, tokens: map[string]string{}, owned: map[string]map[string]int64{}}
	t.Cleanup(w.Close)
	north, south := &kewei.Team{Name: "北区"}, &kewei.Team{Name: "南区"}
	svc.Teams.CreateTeam(sys, north)
	svc.Teams.CreateTeam(sys, south)
	group := &kewei.Team{Name: "北区一组", ParentID: north.ID}
	svc.Teams.CreateTeam(sys, group)
	roles := map[string]kewei.Role{"c1": "consultant", "c2": "consultant", "c3": "consultant", "m1": "manager", "m2": "manager",
		"svc": "service", "aud": "auditor", "admin": "administrator"}
	teams := map[string]int64{"c1": group.ID, "c2": group.ID, "c3": south.ID, "m1": north.ID}
	for _, name := range users {
		u := &kewei.User{Name: name, Role: roles[name], TeamID: teams[name]}
		if err := svc.Users.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		w.ids[name] = u.ID
		token, _, err := svc.Auth.CreateToken(sys, u.ID, "matrix", 0)
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[name] = token
	}
	for tm, m := range map[*kewei.Team]string{north: "m1", south: "m2"} {
		var p kewei.Patch
		p.Version = tm.Version
		p.Set("manager_id", w.ids[m])
		if _, err := svc.Teams.UpdateTeam(sys, tm.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	spare := &kewei.User{Name: "spare", Role: kewei.RoleConsultant}
	if err := svc.Users.CreateUser(sys, spare, ""); err != nil {
		t.Fatal(err)
	}
	w.ids["spare"] = spare.ID
	for _, owner := range []string{"c1", "c2", "c3"} {
		w.owned[owner] = w.mustCustomerWithRecords(t, owner)
	}
	return w
}

// mustCustomerWithRecords makes a customer of owner with a record of each kind.
func (w *matrixWorld) mustCustomerWithRecords(t *testing.T, owner string) map[string]int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	c := &kewei.Customer{Name: "客户" + owner, OwnerID: w.ids[owner], Phones: []kewei.Phone{{Number: "13800000000"}}}
	if err := w.svc.Customers.CreateCustomer(sys, c); err != nil {
		t.Fatal(err)
	}
	ct := &kewei.Contact{Name: "联系人"}
	h := &kewei.Holding{Product: "车"}
	tr := &kewei.Transaction{OccurredAt: time.Now(), Amount: 100}
	in := &kewei.Interaction{Kind: "visit", Summary: "拜访"}
	for _, err := range []error{w.svc.Records.Contacts.Create(sys, c.ID, ct), w.svc.Records.Holdings.Create(sys, c.ID, h),
		w.svc.Records.Transactions.Create(sys, c.ID, tr), w.svc.Records.Interactions.Create(sys, c.ID, in)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	today := kewei.DateOf(time.Now())
	if _, err := w.svc.Playbooks.InsertTasks(sys, []kewei.PlannedTask{{CustomerID: c.ID, PlaybookID: 1, StepKey: "visit", Anchor: today,
		Due: today, AssigneeID: w.ids[owner], Role: kewei.AssignOwner, Action: kewei.InteractionVisit}},
		func(d kewei.Date) time.Time { return time.Now() }); err != nil {
		t.Fatal(err)
	}
	tasks, err := w.svc.Playbooks.FindTasks(sys, kewei.TaskFilter{CustomerID: c.ID})
	if err != nil || len(tasks.Items) != 1 {
		t.Fatalf("the task of %s's customer: %v %v", owner, tasks, err)
	}
	sv := &kewei.ServiceRecord{Kind: kewei.ServiceMaintenance, Summary: "首保"}
	if err := w.svc.Records.Services.Create(sys, c.ID, sv); err != nil {
		t.Fatal(err)
	}
	k := &kewei.Complaint{CustomerID: c.ID, Channel: "phone", Category: "服务", Severity: kewei.SeverityLow, Words: "不满意"}
	if err := w.svc.Complaints.CreateComplaint(sys, k); err != nil {
		t.Fatal(err)
	}
	visit := w.mustVisit(t, owner, c.ID, false)
	op := &kewei.Opportunity{CustomerID: c.ID, Name: "增购"}
	if err := w.svc.Opportunities.CreateOpportunity(sys, op); err != nil {
		t.Fatal(err)
	}
	ko := &kewei.Contract{CustomerID: c.ID, Number: fmt.Sprintf("HT-%d", c.ID), Title: "合同", SignedOn: today}
	if err := w.svc.Opportunities.CreateContract(sys, ko); err != nil {
		t.Fatal(err)
	}
	return map[string]int64{"customers": c.ID, "contacts": ct.ID, "holdings": h.ID, "transactions": tr.ID, "interactions": in.ID,
		"tasks": tasks.Items[0].ID, "complaints": k.ID, "services": sv.ID, "visits": visit, "attachments": w.mustAttachment(t, owner, visit),
		"referral-cards": w.mustReferral(t, c.ID, false), "referrals": w.mustReferral(t, c.ID, true),
		"opportunities": op.ID, "contracts": ko.ID}
}

// mustAttachment attaches a file to owner's visit.
func (w *matrixWorld) mustAttachment(t *testing.T, owner string, visit int64) int64 {
	t.Helper()
	a, err := w.db.ActorFor(context.Background(), w.ids[owner])
	if err != nil {
		t.Fatal(err)
	}
	att, err := w.svc.Visits.Attach(kewei.WithActor(context.Background(), a), visit, "现场.txt", []byte("展厅照片说明"))
	if err != nil {
		t.Fatal(err)
	}
	return att.ID
}

// mustEvent adds an event.
func (w *matrixWorld) mustEvent(t *testing.T) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	e := &kewei.Event{Name: "试驾日", Kind: "test_drive", StartsAt: time.Now().Add(48 * time.Hour)}
	if err := w.svc.Events.CreateEvent(sys, e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// mustInvitation invites customer to a fresh event.
func (w *matrixWorld) mustInvitation(t *testing.T, customer int64) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	e := w.mustEvent(t)
	if _, err := w.svc.Events.Invite(sys, e, kewei.InviteRequest{CustomerIDs: []int64{customer}, Channel: kewei.ChannelPhone}); err != nil {
		t.Fatal(err)
	}
	invs, err := w.svc.Events.FindInvitations(sys, e)
	if err != nil || len(invs) != 1 {
		t.Fatalf("the invitation: %v %v", invs, err)
	}
	return invs[0].ID
}

// mustCampaign adds a campaign.
func (w *matrixWorld) mustCampaign(t *testing.T) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	c := &kewei.Campaign{Name: "春季活动", Channel: "event", Cost: 100}
	if err := w.svc.Campaigns.CreateCampaign(sys, c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// mustReferral issues customer a card and links a fresh prospect to it
// who bought; it returns the card's id, or the referral's when referral.
func (w *matrixWorld) mustReferral(t *testing.T, customer int64, referral bool) int64 {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	card, err := w.svc.Referrals.IssueCard(sys, customer)
	if err != nil {
		t.Fatal(err)
	}
	if !referral {
		return card.ID
	}
	p := &kewei.Customer{Name: "朋友"}
	if err := w.svc.Customers.CreateCustomer(sys, p); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Records.Transactions.Create(sys, p.ID, &kewei.Transaction{OccurredAt: time.Now().Add(time.Minute), Amount: 100}); err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.Referrals.LinkReferral(sys, p.ID, card.Number)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// mustVisit plans a visit of owner's to customer, its report submitted
// when submit.
func (w *matrixWorld) mustVisit(t *testing.T, owner string, customer int64, submit bool) int64 {
	t.Helper()
	a, err := w.db.ActorFor(context.Background(), w.ids[owner])
	if err != nil {
		t.Fatal(err)
	}
	ctx := kewei.WithActor(context.Background(), a)
	v := &kewei.Visit{CustomerID: customer, PlannedAt: time.Now().Add(24 * time.Hour), Purpose: "续约"}
	if err := w.svc.Visits.PlanVisit(ctx, v); err != nil {
		t.Fatal(err)
	}
	if submit {
		if _, err := w.svc.Visits.ReportVisit(ctx, v.ID, &kewei.Visit{DecisionMaker: "王总", Needs: "增购", Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	return v.ID
}

// bodies are valid request bodies for the routes that take one; PATCH
// bodies get the current version added.
var bodies = map[string]string{
	"POST /api/v1/auth/signin":                   `{"name":"nobody","password":"wrong password"}`,
	"PATCH /api/v1/me":                           `{"display_name":"新名字"}`,
	"POST /api/v1/me/password":                   `{"current_password":"wrong password","new_password":"a new long password"}`,
	"POST /api/v1/me/tokens":                     `{"name":"matrix"}`,
	"POST /api/v1/me/totp/enable":                `{"code":"000000"}`,
	"POST /api/v1/me/totp/disable":               `{"code":"000000"}`,
	"POST /api/v1/users":                         `{"name":"newuser","role":"consultant"}`,
	"PATCH /api/v1/users/{id}":                   `{"display_name":"改名"}`,
	"POST /api/v1/users/{id}/password":           `{"new_password":"a reset password"}`,
	"POST /api/v1/teams":                         `{"name":"新团队"}`,
	"PATCH /api/v1/teams/{id}":                   `{"name":"改名团队"}`,
	"PUT /api/v1/scopes":                         `{"role":"service","object":"pii","scope":"all"}`,
	"POST /api/v1/custom-fields":                 `{"key":"k","label_zh":"字段","type":"text"}`,
	"PATCH /api/v1/custom-fields/{id}":           `{"label_en":"Field"}`,
	"POST /api/v1/customers":                     `{"name":"新客户"}`,
	"PATCH /api/v1/customers/{id}":               `{"preferences":"喜欢自驾"}`,
	"POST /api/v1/customers/{id}/reveal":         `{"field":"phones"}`,
	"POST /api/v1/customers/{id}/consents":       `{"channel":"sms","granted":true,"source":"表格"}`,
	"POST /api/v1/customers/{id}/erase":          `{"reason":"本人要求"}`,
	"POST /api/v1/customers/{id}/contacts":       `{"name":"新联系人"}`,
	"POST /api/v1/customers/{id}/holdings":       `{"product":"新车"}`,
	"POST /api/v1/customers/{id}/transactions":   `{"occurred_at":"2026-01-01T00:00:00Z","amount":10}`,
	"POST /api/v1/customers/{id}/interactions":   `{"kind":"visit","summary":"再访"}`,
	"PATCH /api/v1/contacts/{id}":                `{"title":"经理"}`,
	"PATCH /api/v1/holdings/{id}":                `{"note":"备注"}`,
	"PATCH /api/v1/transactions/{id}":            `{"note":"备注"}`,
	"PATCH /api/v1/interactions/{id}":            `{"outcome":"满意"}`,
	"POST /api/v1/views":                         `{"name":"我的VIP","query":"tier=A&cursor=x"}`,
	"POST /api/v1/merges":                        `{"keep_id":1,"keep_version":1,"drop_id":2,"drop_version":1}`,
	"POST /api/v1/tier-rules":                    `{"name":"新车","method":"pareto","metric":"revenue","window_months":12,"enabled":true}`,
	"PUT /api/v1/tier-rules/{id}":                `{"name":"改名","method":"pareto","metric":"profit","window_months":6,"enabled":true,"version":1}`,
	"POST /api/v1/playbooks":                     `{"template":"dealership_delivery"}`,
	"PUT /api/v1/playbooks/{id}":                 `{"name":"回访","enabled":true,"version":1,"steps":[{"key":"call","trigger":"date","date":"delivery","offset_days":1,"action":"call","assignee":"owner"}]}`,
	"POST /api/v1/task-runs":                     `{}`,
	"PUT /api/v1/holidays":                       `{"year":2027,"key":"national_day","date":"2027-10-02"}`,
	"POST /api/v1/customers/{id}/services":       `{"kind":"repair","summary":"更换刹车片"}`,
	"PATCH /api/v1/services/{id}":                `{"note":"已回访"}`,
	"POST /api/v1/surveys":                       `{"name":"试驾满意度","items":[{"key":"car","text":"车况"}]}`,
	"POST /api/v1/customers/{id}/survey-invites": `{"days":3}`,
	"POST /api/v1/handovers":                     `{}`,
	"POST /api/v1/customers/{id}/complaints":     `{"channel":"phone","category":"服务","severity":"high","words":"等太久"}`,
	"POST /api/v1/complaints/{id}/steps":         `{"action":"acknowledge","version":1}`,
	"POST /api/v1/customers/{id}/visits":         `{"planned_at":"2027-01-04T02:00:00Z","purpose":"续约洽谈","checklist":["brochure"]}`,
	"POST /api/v1/visits/{id}/report":            `{"decision_maker":"王总","needs":"增购两台","next_steps":["发报价"],"version":1}`,
	"POST /api/v1/visits/{id}/review":            `{"approve":true,"version":2}`,
	"POST /api/v1/customers/{id}/referred-by":    `{"card_number":"R000001"}`,
	"POST /api/v1/referrals/{id}/redeem":         `{"reward":"保养券"}`,
	"PUT /api/v1/referral-rewards":               `{"rewards":["保养券","精品附件"]}`,
	"PUT /api/v1/pipeline-stages":                `{"stages":[{"id":1,"name":"接洽","probability":10,"kind":"open"},{"id":2,"name":"需求确认","probability":30,"kind":"open"},{"id":3,"name":"方案报价","probability":50,"kind":"open"},{"id":4,"name":"商务谈判","probability":70,"kind":"open"},{"id":5,"name":"赢单","probability":100,"kind":"won"},{"id":6,"name":"输单","probability":0,"kind":"lost"}]}`,
	"POST /api/v1/customers/{id}/opportunities":  `{"name":"车队采购","amount":1000000,"expected_close":"2027-01-15"}`,
	"PATCH /api/v1/opportunities/{id}":           `{"stage_id":3}`,
	"POST /api/v1/customers/{id}/contracts":      `{"number":"","title":"延保合同","signed_on":"2026-11-20"}`,
	"PATCH /api/v1/contracts/{id}":               `{"title":"延保合同（修订）"}`,
	"POST /api/v1/campaigns":                     `{"name":"秋季试驾","channel":"event","cost":5000}`,
	"PATCH /api/v1/campaigns/{id}":               `{"cost":6000}`,
	"PUT /api/v1/customers/{id}/campaign":        `{"campaign_id":0}`,
	"POST /api/v1/churn/models":                  `{"horizon_days":30}`,
	"POST /api/v1/churn/active":                  `{"model_id":1}`,
	"POST /api/v1/products":                      `{"code":"CAR-1","name":"轿车","purchase":"once","life_months":72}`,
	"PATCH /api/v1/products/{id}":                `{"price":150000}`,
	"POST /api/v1/upgrades/tasks":                `{"customer_ids":[]}`,
	"POST /api/v1/events":                        `{"name":"答谢会","kind":"thank_you_party","starts_at":"2026-12-20T10:00:00Z","capacity":100}`,
	"PATCH /api/v1/events/{id}":                  `{"place":"酒店宴会厅"}`,
	"POST /api/v1/events/{id}/invitations":       `{"audience":{"stages":["customer","prospect"]},"channel":"sms"}`,
	"PATCH /api/v1/invitations/{id}":             `{"reply":"yes","guests":1}`,
	"POST /api/v1/events/{id}/leads":             `{"name":"活动新客"}`,
	"POST /api/v1/visits/{id}/attachments":       `{"note":"a file's bytes"}`,
	"PUT /api/v1/root-causes":                    `{"causes":["产品质量","服务态度","其他"]}`,
	"PUT /api/v1/pool/settings":                  `{"days":{"C":90},"claim_cap":5,"lockout_days":30}`,
	"POST /api/v1/tasks/{id}/complete":           `{"summary":"已回访"}`,
	"POST /api/v1/tasks/{id}/skip":               `{"reason":"客户出差"}`,
	"POST /api/v1/tier-runs":                     `{"window":"12m"}`,
	"POST /api/v1/customers/{id}/tier-override":  `{"tier":"A","reason":"集团客户","expires_on":"2099-12-31"}`,
}

// call sends one request as user and returns its status and body.
func (w *matrixWorld) call(t *testing.T, user, method, path, body string) (int, map[string]any) {
	t.Helper()
	status, out, _ := w.do(t, w.tokens[user], method, path, body)
	return status, out
}

// version reads the current version of what a PATCH or DELETE targets.
func (w *matrixWorld) version(t *testing.T, path string) int {
	t.Helper()
	_, out := w.call(t, "admin", "GET", path, "")
	if v, ok := out["version"].(float64); ok {
		return int(v)
	}
	return 1
}

func withVersion(body string, v int) string {
	var m map[string]any
	json.Unmarshal([]byte(body), &m)
	m["version"] = v
	b, _ := json.Marshal(m)
	return string(b)
}

// TestAuthorizationMatrix sends every route, as every role, at a customer
// (or record) of the caller's own, of their team, and of the other team, and
// checks the answer against the scopes. A route without an access rule, or
// without a body it needs, fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustMatrixWorld(t, db)
		for _, rt := range w.api.RouteTable() {
			key := rt.Method + " " + rt.Path
			if rt.Access == "" {
				t.Errorf("%s has no access rule", key)
				continue
			}
			if rt.Body != nil && bodies[key] == "" {
				t.Errorf("%s takes a body but the matrix has none for it", key)
				continue
			}
			for _, user := range users {
				w.check(t, rt, user)
			}
		}
	})
}

// check sends one route as one user at each target it has.
func (w *matrixWorld) check(t *testing.T, rt api.Route, user string) {
	t.Helper()
	key := rt.Method + " " + rt.Path
	switch rt.Access {
	case api.AccessPublic:
		status, _ := w.call(t, "", rt.Method, rt.Path, bodies[key])
		if status >= 500 || status == 403 {
			t.Errorf("%s as nobody: %d", key, status)
		}
	case api.AccessUser, api.AccessAdmin, api.AccessAudit, api.AccessTeam:
		path := strings.Replace(rt.Path, "{id}", fmt.Sprint(w.selfTarget(t, rt, user)), 1)
		if rt.Method == "DELETE" && !strings.HasPrefix(path, "/api/v1/me/") {
			path += "?version=1"
		}
		status, out := w.call(t, user, rt.Method, path, w.body(t, rt, path))
		allowed := rt.Access == api.AccessUser || user == "admin" || (rt.Access == api.AccessAudit && user == "aud")
		if allowed != (status != 403) || status == 401 || status >= 500 {
			t.Errorf("%s as %s: %d %v (allowed %v)", key, user, status, out, allowed)
		}
	case api.AccessList:
		w.checkList(t, rt, user)
	case api.AccessData:
		var target int64
		if strings.HasPrefix(rt.Path, "/api/v1/events/") {
			target = w.mustEvent(t)
		} else if strings.Contains(rt.Path, "{id}") {
			target = w.dataTarget(t, user)
		}
		path := strings.Replace(rt.Path, "{id}", fmt.Sprint(target), 1)
		status, out := w.call(t, user, rt.Method, path, bodies[key])
		allowed := len(sees[user]) > 0
		if allowed != (status != 403) || status == 401 || status >= 500 {
			t.Errorf("%s as %s: %d %v (allowed %v)", key, user, status, out, allowed)
		}
	case api.AccessManager:
		for _, owner := range []string{"c1", "c2", "c3"} {
			path := strings.Replace(rt.Path, "{id}", fmt.Sprint(w.target(t, rt, owner)), 1)
			if rt.Method == "DELETE" { // something to lift
				w.call(t, "admin", "POST", path, bodies["POST "+rt.Path])
			}
			status, out := w.call(t, user, rt.Method, path, bodies[key])
			role := user == "admin" || strings.HasPrefix(user, "m")
			visible := slices.Contains(sees[user], owner)
			switch {
			case !role && status != 403, role && visible && status >= 400, role && !visible && status != 404:
				t.Errorf("%s as %s on %s's: %d %v (manager %v, visible %v)", key, user, owner, status, out, role, visible)
			}
		}
	case api.AccessCustomer, api.AccessRecord:
		for _, owner := range []string{"c1", "c2", "c3"} {
			path := strings.Replace(rt.Path, "{id}", fmt.Sprint(w.target(t, rt, owner)), 1)
			if rt.Method == "DELETE" {
				path += "?version=1"
			}
			status, out := w.call(t, user, rt.Method, path, w.body(t, rt, path))
			visible := slices.Contains(sees[user], owner)
			if visible != (status < 400) || (!visible && status != 404) {
				t.Errorf("%s as %s on %s's: %d %v (visible %v)", key, user, owner, status, out, visible)
			}
		}
	case api.AccessLead:
		// Each asks for a customer of c1's and one of c3's: managers and
		// administrators who see both get tasks, a manager who sees one is
		// told the other is not found, other roles are refused.
		body := fmt.Sprintf(`{"customer_ids":[%d,%d]}`, w.owned["c1"]["customers"], w.owned["c3"]["customers"])
		status, out := w.call(t, user, rt.Method, rt.Path, body)
		role := user == "admin" || strings.HasPrefix(user, "m")
		switch {
		case !role && status != 403, user == "admin" && status != 200, strings.HasPrefix(user, "m") && status != 404:
			t.Errorf("%s as %s: %d %v (manager %v)", key, user, status, out, role)
		}
	case api.AccessAuthor:
		for _, owner := range []string{"c1", "c2", "c3"} {
			path := strings.Replace(rt.Path, "{id}", fmt.Sprint(w.target(t, rt, owner)), 1)
			status, out := w.call(t, user, rt.Method, path, w.body(t, rt, path))
			visible := slices.Contains(sees[user], owner)
			switch {
			case user == owner && status >= 400, visible && user != owner && status != 403, !visible && status != 404:
				t.Errorf("%s as %s on %s's: %d %v (visible %v)", key, user, owner, status, out, visible)
			}
		}
	default:
		t.Errorf("%s: unknown access %q", key, rt.Access)
	}
}

// target returns the id a customer or record route acts on: owner's, and a
// fresh one for routes that destroy it.
func (w *matrixWorld) target(t *testing.T, rt api.Route, owner string) int64 {
	kind := strings.Split(rt.Path, "/")[3]
	if kind == "visits" && rt.Method == "POST" && !strings.HasSuffix(rt.Path, "/attachments") { // a report is submitted once, and reviewed once
		return w.mustVisit(t, owner, w.owned[owner]["customers"], strings.HasSuffix(rt.Path, "/review"))
	}
	if kind == "invitations" { // an invitation of owner's customer to a fresh event
		return w.mustInvitation(t, w.owned[owner]["customers"])
	}
	if strings.HasSuffix(rt.Path, "/referred-by") { // a prospect comes with one card: a fresh one of owner's
		return w.mustCustomerWithRecords(t, owner)["customers"]
	}
	if rt.Method == "DELETE" || kind == "tasks" || kind == "complaints" || kind == "referrals" { // a task is closed once, a complaint acknowledged once
		return w.mustCustomerWithRecords(t, owner)[kind]
	}
	return w.owned[owner][kind]
}

// dataTarget returns an import of the user's, or of the administrator's
// for a user who may not import.
func (w *matrixWorld) dataTarget(t *testing.T, user string) int64 {
	t.Helper()
	if len(sees[user]) == 0 {
		user = "admin"
	}
	a, err := w.db.ActorFor(context.Background(), w.ids[user])
	if err != nil {
		t.Fatal(err)
	}
	imp, err := w.svc.Imports.StartImport(kewei.WithActor(context.Background(), a),
		kewei.ImportRequest{Kind: "customers", DryRun: true}, strings.NewReader("姓名\n张三\n"))
	if err != nil {
		t.Fatal(err)
	}
	return imp.ID
}

// selfTarget returns the id for user, admin and audit routes: another
// user, a fresh team or field, or the caller's own token.
func (w *matrixWorld) selfTarget(t *testing.T, rt api.Route, user string) int64 {
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	switch {
	case strings.HasPrefix(rt.Path, "/api/v1/views/"):
		v := &kewei.SavedView{Name: fmt.Sprintf("视图%d", time.Now().UnixNano()), Query: "tier=A"}
		a, _ := w.svc.Users.FindUserByID(sys, w.ids[user])
		actor := &kewei.Actor{UserID: a.ID, Name: a.Name, Role: a.Role}
		w.svc.Views.CreateView(kewei.WithActor(context.Background(), actor), v)
		return v.ID
	case strings.HasPrefix(rt.Path, "/api/v1/me/tokens/"):
		_, tok, _ := w.svc.Auth.CreateToken(sys, w.ids[user], "to revoke", 0)
		return tok.ID
	case strings.HasPrefix(rt.Path, "/api/v1/events/"):
		return w.mustEvent(t)
	case strings.HasPrefix(rt.Path, "/api/v1/campaigns/"):
		return w.mustCampaign(t)
	case strings.HasPrefix(rt.Path, "/api/v1/products/"):
		p := &kewei.Product{Code: fmt.Sprintf("P%d", time.Now().UnixNano()), Name: "产品"}
		if err := w.svc.Products.CreateProduct(sys, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	case strings.HasPrefix(rt.Path, "/api/v1/users/"):
		return w.ids["spare"]
	case strings.HasPrefix(rt.Path, "/api/v1/teams/"):
		tm := &kewei.Team{Name: fmt.Sprintf("团队%d", time.Now().UnixNano())}
		w.svc.Teams.CreateTeam(sys, tm)
		return tm.ID
	case strings.HasPrefix(rt.Path, "/api/v1/custom-fields/"):
		f := &kewei.CustomField{Key: fmt.Sprintf("f%d", time.Now().UnixNano()), LabelZH: "字段", Type: "text"}
		w.svc.CustomFields.CreateCustomField(sys, f)
		return f.ID
	case strings.HasPrefix(rt.Path, "/api/v1/playbooks/"):
		pb := &kewei.Playbook{Template: "bank_tiers"}
		w.svc.Playbooks.CreatePlaybook(sys, pb)
		return pb.ID
	case strings.HasPrefix(rt.Path, "/api/v1/tier-rules/"):
		r := &kewei.TierRule{Name: "规则", Method: kewei.TierPareto, Enabled: true}
		w.svc.Tiers.CreateTierRule(sys, r)
		return r.ID
	case strings.HasPrefix(rt.Path, "/api/v1/customers/"): // erase: a fresh customer
		return w.mustCustomerWithRecords(t, "c3")["customers"]
	}
	return 0
}

func (w *matrixWorld) body(t *testing.T, rt api.Route, path string) string {
	body := bodies[rt.Method+" "+rt.Path]
	switch {
	case rt.Path == "/api/v1/handovers":
		// From a user of no team, so only the administrator may.
		return fmt.Sprintf(`{"from_user_id":%d,"to_user_id":%d}`, w.ids["spare"], w.ids["admin"])
	case rt.Method == "POST" && strings.HasSuffix(rt.Path, "/contracts"): // contract numbers are unique
		var m map[string]any
		json.Unmarshal([]byte(body), &m)
		m["number"] = fmt.Sprintf("HT-%d", time.Now().UnixNano())
		b, _ := json.Marshal(m)
		return string(b)
	case strings.HasPrefix(path, "/api/v1/me"):
		if rt.Method == "PATCH" {
			return withVersion(body, 1)
		}
	case rt.Method == "PATCH" && strings.Contains(rt.Path, "{id}"):
		getPath := path
		if strings.HasPrefix(path, "/api/v1/teams/") || strings.HasPrefix(path, "/api/v1/custom-fields/") {
			return withVersion(body, 1)
		}
		return withVersion(body, w.version(t, getPath))
	}
	return body
}

// checkList checks that a list, a search and a count show exactly what the
// user's scope covers, and that creating stays within it.
func (w *matrixWorld) checkList(t *testing.T, rt api.Route, user string) {
	key := rt.Method + " " + rt.Path
	if rt.Method == "POST" {
		status, out := w.call(t, user, "POST", rt.Path, fmt.Sprintf(`{"name":"给c3的客户","owner_id":%d}`, w.ids["c3"]))
		allowed := slices.Contains(sees[user], "c3")
		if allowed != (status == 201) || (!allowed && status != 403) {
			t.Errorf("%s as %s for c3: %d %v", key, user, status, out)
		}
		return
	}
	for _, q := range []string{"", "?q=客户c", "?q=13800000000", "?q=kehu&sort=name", "?never_contacted=false&stage=prospect"} {
		status, out := w.call(t, user, "GET", rt.Path+q, "")
		if status != 200 {
			t.Errorf("%s%s as %s: %d", key, q, user, status)
			continue
		}
		var owners []string
		for _, it := range out["items"].([]any) {
			item := it.(map[string]any)
			if strings.HasPrefix(item["name"].(string), "客户") {
				owners = append(owners, strings.TrimPrefix(item["name"].(string), "客户"))
			}
		}
		sort.Strings(owners)
		if fmt.Sprint(owners) != fmt.Sprint(sees[user]) && !(len(owners) == 0 && sees[user] == nil) {
			t.Errorf("%s%s as %s shows %v, want %v", key, q, user, owners, sees[user])
		}
	}
}
