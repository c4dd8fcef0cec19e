package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/kewei-crm/kewei/internal/wire"
)

// testServer is the API over a real store, with an administrator and a
// consultant signed in by API token.
type testServer struct {
	*httptest.Server
	api               *api.Server
	admin, consultant string // tokens
	consultantID      int64
}

func mustServer(t *testing.T, db *sqlstore.DB) *testServer {
	t.Helper()
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	svc := wire.Services(db, time.Hour, nil)
	auth := svc.Auth
	a := api.New(svc, api.Options{Logger: slog.New(slog.DiscardHandler), Location: time.UTC, SessionTTL: time.Hour})
	ts := &testServer{Server: httptest.NewServer(a), api: a}
	t.Cleanup(ts.Close)
	for _, u := range []*kewei.User{{Name: "admin", Role: kewei.RoleAdministrator}, {Name: "wangli", DisplayName: "王丽", Role: kewei.RoleConsultant}} {
		if err := svc.Users.CreateUser(sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		token, _, err := auth.CreateToken(sys, u.ID, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == kewei.RoleAdministrator {
			ts.admin = token
		} else {
			ts.consultant, ts.consultantID = token, u.ID
		}
	}
	return ts
}

// do sends a request and checks the response against the OpenAPI document.
func (ts *testServer) do(t *testing.T, token, method, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if err := ts.api.CheckResponse(req, resp.StatusCode, raw); err != nil {
		t.Errorf("%s %s: %v\n%.300s", method, path, err, raw)
	}
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &out)
	}
	return resp.StatusCode, out, resp.Header
}

// scenario is one request and what must come back.
type scenario struct {
	name       string
	token      string // "admin", "consultant" or "" for none
	method     string
	path       string
	body       string
	wantStatus int
	wantCode   string   // error code, when an error is expected
	wantFields []string // invalid fields, in order
	wantIn     []string // substrings of the raw JSON
}

func (ts *testServer) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		token := map[string]string{"admin": ts.admin, "consultant": ts.consultant}[sc.token]
		status, body, _ := ts.do(t, token, sc.method, sc.path, sc.body)
		if status != sc.wantStatus {
			t.Errorf("%s: status %d, want %d: %v", sc.name, status, sc.wantStatus, body)
			continue
		}
		raw, _ := json.Marshal(body)
		if sc.wantCode != "" {
			e, _ := body["error"].(map[string]any)
			if e["code"] != sc.wantCode || e["request_id"] == "" {
				t.Errorf("%s: error %v, want code %s", sc.name, e, sc.wantCode)
			}
			var fields []string
			list, _ := e["fields"].([]any)
			for _, f := range list {
				fields = append(fields, f.(map[string]any)["field"].(string))
			}
			if strings.Join(fields, ",") != strings.Join(sc.wantFields, ",") {
				t.Errorf("%s: fields %v, want %v", sc.name, fields, sc.wantFields)
			}
		}
		for _, s := range sc.wantIn {
			if !strings.Contains(string(raw), s) {
				t.Errorf("%s: body lacks %q: %s", sc.name, s, raw)
			}
		}
	}
}

func TestAPIScenarios(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		ts.run(t, []scenario{
			{name: "health needs no sign-in", method: "GET", path: "/healthz", wantStatus: 200, wantIn: []string{`"ok"`}},
			{name: "ready", method: "GET", path: "/readyz", wantStatus: 200},
			{name: "list needs sign-in", method: "GET", path: "/api/v1/customers", wantStatus: 401, wantCode: "unauthorized"},
			{name: "bad token", token: "", method: "GET", path: "/api/v1/me", wantStatus: 401, wantCode: "unauthorized"},
			{name: "me", token: "consultant", method: "GET", path: "/api/v1/me", wantStatus: 200, wantIn: []string{`"王丽"`}},
			{name: "create", token: "consultant", method: "POST", path: "/api/v1/customers",
				body:       `{"name":"张三","phones":[{"number":"138 1234 5678"}],"tags":["车主"],"birthday":"1985-05-17"}`,
				wantStatus: 201, wantIn: []string{`"13812345678"`, `"zhang san"`, `"version":1`}},
			{name: "invalid fields named", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":"","email":"x","intent":"Z","phones":[{"number":"1"}]}`, wantStatus: 400, wantCode: "invalid",
				wantFields: []string{"name", "phones[0].number", "email", "intent"}},
			{name: "wrong type named", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":"x","tags":"vip"}`, wantStatus: 400, wantCode: "invalid", wantFields: []string{"tags"}},
			{name: "unknown field named", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":"x","nickname":"y"}`, wantStatus: 400, wantCode: "invalid", wantFields: []string{"nickname"}},
			{name: "bad date", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":"x","birthday":"1985-02-30"}`, wantStatus: 400, wantCode: "invalid"},
			{name: "not JSON", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":`, wantStatus: 400, wantCode: "invalid"},
			{name: "search by initials", token: "consultant", method: "GET", path: "/api/v1/customers?q=zs",
				wantStatus: 200, wantIn: []string{`"张三"`, `"total":1`}},
			{name: "search by tail", token: "consultant", method: "GET", path: "/api/v1/customers?q=5678&tier=A,B",
				wantStatus: 200, wantIn: []string{`"total":0`}},
			{name: "unknown filter", token: "consultant", method: "GET", path: "/api/v1/customers?teir=A",
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"teir"}},
			{name: "bad enum filter", token: "consultant", method: "GET", path: "/api/v1/customers?tier=Z&created_from=yesterday",
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"created_from", "tier"}},
			{name: "bad sort", token: "consultant", method: "GET", path: "/api/v1/customers?sort=phone",
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"sort"}},
			{name: "owner me", token: "consultant", method: "GET", path: "/api/v1/customers?owner=me&region=广东省",
				wantStatus: 200, wantIn: []string{`"total":0`}},
			{name: "missing customer", token: "consultant", method: "GET", path: "/api/v1/customers/42",
				wantStatus: 404, wantCode: "not_found"},
			{name: "not an id", token: "consultant", method: "GET", path: "/api/v1/customers/abc",
				wantStatus: 404, wantCode: "not_found"},
			{name: "unknown route", token: "consultant", method: "GET", path: "/api/v1/nothing",
				wantStatus: 404, wantCode: "not_found"},
			{name: "consultant cannot add users", token: "consultant", method: "POST", path: "/api/v1/users",
				body: `{"name":"li","role":"auditor"}`, wantStatus: 403, wantCode: "forbidden"},
			{name: "admin adds a user", token: "admin", method: "POST", path: "/api/v1/users",
				body: `{"name":"li","role":"auditor","password":"a long password"}`, wantStatus: 201, wantIn: []string{`"must_change_password":true`}},
			{name: "custom field", token: "admin", method: "POST", path: "/api/v1/custom-fields",
				body: `{"key":"car_model","label_zh":"车型","type":"choice","choices":["SUV","轿车"]}`, wantStatus: 201},
			{name: "custom value checked", token: "consultant", method: "POST", path: "/api/v1/customers",
				body: `{"name":"李四","custom":{"car_model":"卡车"}}`, wantStatus: 400, wantCode: "invalid", wantFields: []string{"custom.car_model"}},
			{name: "token created", token: "consultant", method: "POST", path: "/api/v1/me/tokens",
				body: `{"name":"script"}`, wantStatus: 201, wantIn: []string{`"kwt_`}},
			{name: "openapi is public", method: "GET", path: "/api/openapi.json", wantStatus: 200, wantIn: []string{`"3.1.0"`, `"CustomerList"`, `"CustomerPatch"`}},
		})
	})
}

func TestAPIUpdateConflictAndRecords(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		status, c, hdr := ts.do(t, ts.consultant, "POST", "/api/v1/customers", `{"name":"张三","kind":"individual"}`)
		if status != 201 || hdr.Get("Location") == "" {
			t.Fatalf("create: %d %v", status, c)
		}
		id := int64(c["id"].(float64))
		path := "/api/v1/customers/" + itoa(id)
		ts.run(t, []scenario{
			{name: "patch without version", token: "consultant", method: "PATCH", path: path, body: `{"name":"李四"}`,
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"version"}},
			{name: "patch", token: "consultant", method: "PATCH", path: path, body: `{"version":1,"name":"李四","stage":"customer"}`,
				wantStatus: 200, wantIn: []string{`"version":2`, `"li si"`}},
			{name: "stale patch is a conflict", token: "consultant", method: "PATCH", path: path, body: `{"version":1,"name":"王五"}`,
				wantStatus: 409, wantCode: "conflict"},
			{name: "read-only field", token: "consultant", method: "PATCH", path: path, body: `{"version":2,"created_at":"2020-01-01T00:00:00Z"}`,
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"created_at"}},
			{name: "log a call", token: "consultant", method: "POST", path: path + "/interactions",
				body: `{"kind":"call","summary":"交车回访","outcome":"满意"}`, wantStatus: 201, wantIn: []string{`"王丽"`}},
			{name: "bad interaction", token: "consultant", method: "POST", path: path + "/interactions",
				body: `{"kind":"telegram"}`, wantStatus: 400, wantCode: "invalid", wantFields: []string{"kind", "summary"}},
			{name: "add a transaction", token: "consultant", method: "POST", path: path + "/transactions",
				body:       `{"occurred_at":"2026-05-01T10:00:00+08:00","amount":199999.99,"profit":12000,"product":"途观L"}`,
				wantStatus: 201, wantIn: []string{`"amount":199999.99`, `"occurred_at":"2026-05-01T02:00:00Z"`}},
			{name: "amount with three decimals", token: "consultant", method: "POST", path: path + "/transactions",
				body: `{"occurred_at":"2026-05-01T10:00:00+08:00","amount":1.234}`, wantStatus: 400, wantCode: "invalid"},
			{name: "add a holding", token: "consultant", method: "POST", path: path + "/holdings",
				body: `{"product":"途观L","category":"car","acquired_on":"2026-05-01","value":199999.99}`, wantStatus: 201},
			{name: "add a contact", token: "consultant", method: "POST", path: path + "/contacts",
				body: `{"name":"李太太","role":"influencer"}`, wantStatus: 201},
			{name: "timeline", token: "consultant", method: "GET", path: path + "/timeline",
				wantStatus: 200, wantIn: []string{`"kind":"interaction"`, `"kind":"transaction"`, `"kind":"created"`, `"total":5`}},
			{name: "list transactions in a range", token: "consultant", method: "GET", path: path + "/transactions?from=2026-05-01&to=2026-05-01",
				wantStatus: 200, wantIn: []string{`"total":1`}},
			{name: "last contact filter", token: "consultant", method: "GET", path: "/api/v1/customers?never_contacted=true",
				wantStatus: 200, wantIn: []string{`"total":0`}},
			{name: "delete needs version", token: "consultant", method: "DELETE", path: path,
				wantStatus: 400, wantCode: "invalid", wantFields: []string{"version"}},
			{name: "delete stale", token: "consultant", method: "DELETE", path: path + "?version=1",
				wantStatus: 409, wantCode: "conflict"},
			{name: "delete", token: "consultant", method: "DELETE", path: path + "?version=2", wantStatus: 204},
			{name: "gone", token: "consultant", method: "GET", path: path, wantStatus: 404, wantCode: "not_found"},
		})
	})
}

func TestAPISignInAndOneTimePassword(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ts := mustServer(t, db)
		ts.do(t, ts.admin, "POST", "/api/v1/users", `{"name":"li","role":"manager","password":"first password!"}`)
		status, body, hdr := ts.do(t, "", "POST", "/api/v1/auth/signin", `{"name":"li","password":"first password!"}`)
		if status != 200 || !strings.Contains(hdr.Get("Set-Cookie"), "HttpOnly") {
			t.Fatalf("sign in: %d %v %v", status, body, hdr)
		}
		token := body["token"].(string)
		ts.run(t, []scenario{
			{name: "wrong password", method: "POST", path: "/api/v1/auth/signin", body: `{"name":"li","password":"nope"}`,
				wantStatus: 401, wantCode: "unauthorized"},
		})
		status, body, _ = ts.do(t, token, "GET", "/api/v1/customers", "")
		if status != 403 {
			t.Fatalf("one-time password must be changed first: %d %v", status, body)
		}
		status, body, _ = ts.do(t, token, "POST", "/api/v1/me/password", `{"current_password":"first password!","new_password":"my own password"}`)
		if status != 204 {
			t.Fatalf("change password: %d %v", status, body)
		}
		if status, body, _ = ts.do(t, token, "GET", "/api/v1/customers", ""); status != 200 {
			t.Fatalf("after change: %d %v", status, body)
		}
		if status, _, _ = ts.do(t, token, "POST", "/api/v1/auth/signout", ""); status != 204 {
			t.Fatalf("sign out: %d", status)
		}
		if status, _, _ = ts.do(t, token, "GET", "/api/v1/me", ""); status != 401 {
			t.Fatalf("after sign out: %d", status)
		}
	})
}

func itoa(n int64) string { return strings.TrimSpace(strings.Replace(jsonNum(n), "\n", "", -1)) }

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }
