package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/demo"
)

// mustChurnSite is a site with a thousand demo customers of wangli and
// zhaoqiang and a churn model trained on them.
func mustChurnSite(t *testing.T) *site {
	s := mustSite(t)
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	bulk := s.db.StartSmallBulk(sys)
	err := demo.Generate(sys, demo.Options{Customers: 1200, Seed: 5, AsOf: start, Owners: []int64{s.ids["wangli"], s.ids["zhaoqiang"]},
		NewID: s.db.NewID}, func(b *kewei.Batch) error { return bulk.Load(sys, b) })
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.Finish(sys); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Churn.TrainChurn(sys, kewei.ChurnTrainRequest{HorizonDays: 180}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChurnPages(t *testing.T) {
	s := mustChurnSite(t)
	admin := s.client(t, "admin")
	status, page := get(t, admin, s.URL+"/churn")
	if status != 200 || !strings.Contains(page, "Churn risk list") || !strings.Contains(page, `name="customer"`) ||
		!strings.Contains(page, "Days since") || !strings.Contains(page, "cross-validated ROC AUC") {
		t.Fatalf("risk list %d:\n%s", status, page)
	}
	// A consultant sees their own customers, without the retention action.
	status, mine := get(t, s.client(t, "wangli"), s.URL+"/churn?sort=probability")
	if status != 200 || strings.Contains(mine, "赵强") || strings.Contains(mine, `name="customer"`) || !strings.Contains(mine, "王丽") {
		t.Errorf("a consultant's risk list %d", status)
	}
	// Asking for retention for the first customer on the list.
	i := strings.Index(page, `name="customer" value="`)
	id := page[i+len(`name="customer" value="`):]
	id = id[:strings.IndexByte(id, '"')]
	resp, err := admin.PostForm(s.URL+"/churn/retention", url.Values{"customer": {id}, "back": {"/churn?tier="}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Query().Get("asked") != "1" || resp.Request.URL.Query().Get("tasks") != "1" {
		t.Errorf("retention asked: ended at %s", resp.Request.URL)
	}
	if _, page := get(t, admin, resp.Request.URL.String()); !strings.Contains(page, "Retention asked for 1 customers, 1 tasks planned") {
		t.Error("the page does not say what was asked")
	}
	// The customer page shows the score and the reasons, and asks for
	// retention for one customer.
	if _, err := s.svc.Recommendations.TrainRecommender(kewei.WithActor(context.Background(), kewei.SystemActor)); err != nil {
		t.Fatal(err)
	}
	status, cust := get(t, admin, s.URL+"/customers/"+id)
	if status != 200 || !strings.Contains(cust, `id="churn"`) || !strings.Contains(cust, "Chance of being lost") ||
		!strings.Contains(cust, "Likely next purchases") {
		t.Fatalf("customer page %d", status)
	}
	resp, err = admin.PostForm(s.URL+"/customers/"+id+"/retention", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Query().Get("done") != "retention" {
		t.Errorf("retention from the customer page ended at %s", resp.Request.URL)
	}
	// The model card, and training again in the background.
	status, card := get(t, admin, s.URL+"/churn/model")
	if status != 200 || !strings.Contains(card, "ROC AUC") || !strings.Contains(card, "<svg") || !strings.Contains(card, "Train now") {
		t.Fatalf("model card %d", status)
	}
	if status, card := get(t, s.client(t, "wangli"), s.URL+"/churn/model"); status != 200 || strings.Contains(card, "Train now") {
		t.Errorf("a consultant is offered training: %d", status)
	}
	resp, err = s.client(t, "wangli").PostForm(s.URL+"/churn/train", url.Values{"horizon_days": {"90"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a consultant trained: %d", resp.StatusCode)
	}
	resp, err = admin.PostForm(s.URL+"/churn/train", url.Values{"horizon_days": {"90"}, "inactive": {"on"}, "lines": {"售后=abc"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad days per line: %d", resp.StatusCode)
	}
	resp, err = admin.PostForm(s.URL+"/churn/train", url.Values{"horizon_days": {"90"}, "inactive": {"on"}, "lines": {"售后=120"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		models, err := s.svc.Churn.FindChurnModels(kewei.WithActor(context.Background(), kewei.SystemActor))
		if err != nil {
			t.Fatal(err)
		}
		_, card := get(t, admin, s.URL+"/churn/model")
		if len(models) == 2 && !strings.Contains(card, "Training…") {
			if models[0].HorizonDays != 90 || !models[0].Active || !models[0].Label.Inactive || models[0].Label.Stage ||
				models[0].Label.Lines["售后"] != 120 {
				t.Errorf("the new model %+v", models[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no second model after a minute:\n%s", card)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
