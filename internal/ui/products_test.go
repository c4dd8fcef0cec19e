package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
)

// TestNextPurchasePages: an administrator adds a product with a life
// cycle; the demo's holdings of it come up on the due list; the upgrade
// page shows paths and candidates, and a manager turns one into a call.
func TestNextPurchasePages(t *testing.T) {
	s := mustChurnSite(t)
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	admin := s.client(t, "admin")
	// A bad form names the field; a good one lands in the catalogue.
	resp, err := admin.PostForm(s.URL+"/products", url.Values{"code": {"X"}, "name": {""}, "purchase": {"once"}, "life_months": {"abc"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("a bad product: %d", resp.StatusCode)
	}
	if err := sqlstore.NewProductService(s.db).PutCatalogue(sys, demo.Catalogue()); err != nil {
		t.Fatal(err)
	}
	resp, err = admin.PostForm(s.URL+"/products", url.Values{"code": {"NEW-1"}, "name": {"新能源车"}, "purchase": {"once"},
		"life_months": {"60"}, "active": {"on"}, "price": {"100000"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Query().Get("done") != "saved" {
		t.Fatalf("adding a product ended at %s", resp.Request.URL)
	}
	status, page := get(t, admin, s.URL+"/products")
	if status != 200 || !strings.Contains(page, "Once (replaced or renewed)") || !strings.Contains(page, "新能源车") {
		t.Fatalf("catalogue %d", status)
	}
	status, page = get(t, admin, s.URL+"/replacements?within=3660&overdue=on")
	if status != 200 || !strings.Contains(page, "Its own date") || strings.Contains(page, "Nothing is due") {
		t.Fatalf("due list %d:\n%s", status, page)
	}
	if status, page := get(t, admin, s.URL+"/replacements?within=99999"); status != 200 || !strings.Contains(page, `aria-invalid="true"`) {
		t.Errorf("a window too wide %d", status)
	}
	// A consultant sees only their own customers' holdings.
	if _, mine := get(t, s.client(t, "wangli"), s.URL+"/replacements?within=3660&overdue=on"); strings.Contains(mine, "赵强") {
		t.Error("wangli sees zhaoqiang's customers on the due list")
	}

	if _, err := tiering.Run(sys, sqlstore.NewTierService(s.db), tiering.Request{Window: 120}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Recommendations.TrainRecommender(sys); err != nil {
		t.Fatal(err)
	}
	status, page = get(t, admin, s.URL+"/upgrades")
	if status != 200 || !strings.Contains(page, "What the next tier buys") || !strings.Contains(page, `name="customer" value="`) {
		t.Fatalf("upgrades %d:\n%s", status, page)
	}
	i := strings.Index(page, `name="customer" value="`)
	id := page[i+len(`name="customer" value="`):]
	id = id[:strings.IndexByte(id, '"')]
	resp, err = admin.PostForm(s.URL+"/upgrades/tasks", url.Values{"customer": {id}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Query().Get("created") != "1" {
		t.Errorf("upgrade tasks ended at %s", resp.Request.URL)
	}
	if _, mine := get(t, s.client(t, "wangli"), s.URL+"/upgrades"); strings.Contains(mine, `name="customer"`) {
		t.Error("a consultant may hand out upgrade calls")
	}
}
