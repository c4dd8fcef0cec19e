package sqlstore_test

import (
	"math"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestEventFunnelAndCampaignROI checks an event's funnel and a campaign's
// leads, conversion and ROI against a hand-counted fixture.
func TestEventFunnelAndCampaignROI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
		db.Now = func() time.Time { return day(1, 9) }
		defer func() { db.Now = time.Now }()
		campaigns, events := sqlstore.NewCampaignService(db), sqlstore.NewEventService(db)
		records, privacy := sqlstore.NewRecords(db), sqlstore.NewPrivacyService(db)
		cust := map[string]*kewei.Customer{}
		for _, n := range []string{"A", "B", "C", "D", "E"} {
			tier := kewei.TierA
			if n == "C" {
				tier = kewei.TierB
			}
			c := mustCustomer(t, sys, db, &kewei.Customer{Name: "客户" + n, Source: kewei.SourceStore})
			var p kewei.Patch
			p.Version = c.Version
			p.Set("tier", tier)
			if _, err := sqlstore.NewCustomerService(db).UpdateCustomer(sys, c.ID, p); err != nil {
				t.Fatal(err)
			}
			cust[n] = c
		}
		// D refused marketing; E refused SMS, then agreed again.
		for _, cs := range []struct {
			who     string
			ch      kewei.Channel
			granted bool
		}{{"D", kewei.ChannelMarketing, false}, {"E", kewei.ChannelSMS, false}, {"E", kewei.ChannelSMS, true}} {
			if err := privacy.RecordConsent(sys, cust[cs.who].ID, &kewei.Consent{Channel: cs.ch, Granted: cs.granted, Source: "电话"}); err != nil {
				t.Fatal(err)
			}
		}
		spring := &kewei.Campaign{Name: "春季试驾", Channel: "event", Cost: 1000000}
		if err := campaigns.CreateCampaign(sys, spring); err != nil {
			t.Fatal(err)
		}
		if err := campaigns.CreateCampaign(sys, &kewei.Campaign{Name: "坏的", Channel: "billboard", Cost: -1}); len(kewei.ErrorFields(err)) != 2 {
			t.Fatalf("a bad campaign: %v", err)
		}
		ev := &kewei.Event{Name: "试驾日", Kind: "test_drive", StartsAt: day(10, 2), Place: "展厅", Capacity: 30, CampaignID: spring.ID}
		if err := events.CreateEvent(sys, ev); err != nil {
			t.Fatal(err)
		}
		req := kewei.InviteRequest{Audience: kewei.Audience{Tiers: []kewei.Tier{kewei.TierA}}, Channel: kewei.ChannelSMS}
		res, err := events.Invite(sys, ev.ID, req)
		if err != nil || res.Invited != 3 || res.NoConsent != 1 || res.AlreadyInvited != 0 {
			t.Fatalf("invite tier A by SMS: %+v %v", res, err)
		}
		if res, err := events.Invite(sys, ev.ID, req); err != nil || res.Invited != 0 || res.AlreadyInvited != 3 {
			t.Fatalf("invite again: %+v %v", res, err)
		}
		invs, err := events.FindInvitations(sys, ev.ID)
		if err != nil || len(invs) != 3 {
			t.Fatalf("invitations: %v %v", invs, err)
		}
		answer := map[string]map[string]any{"客户A": {"reply": "yes", "attended": true, "guests": 2}, "客户B": {"reply": "no"}, "客户E": {"reply": "yes"}}
		for _, inv := range invs {
			var p kewei.Patch
			p.Version = inv.Version
			for k, v := range answer[inv.CustomerName] {
				p.Set(k, v)
			}
			if _, err := events.UpdateInvitation(sys, inv.ID, p); err != nil {
				t.Fatal(err)
			}
		}
		db.Now = func() time.Time { return day(5, 9) }
		if err := campaigns.Attribute(sys, cust["C"].ID, spring.ID); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return day(10, 9) }
		f, g := &kewei.Customer{Name: "客户F", Phones: []kewei.Phone{{Number: "13900000001"}}}, &kewei.Customer{Name: "客户G"}
		for _, c := range []*kewei.Customer{f, g} {
			if err := events.AddLead(sys, ev.ID, c); err != nil {
				t.Fatal(err)
			}
		}
		for _, tr := range []struct {
			c      *kewei.Customer
			at     time.Time
			amount kewei.Money
		}{{cust["A"], day(12, 3), 20000000}, {f, day(15, 3), 5000000}, {cust["B"], day(1, 3), 1000000}, {cust["C"], day(20, 3), 3000000}} {
			if err := records.Transactions.Create(sys, tr.c.ID, &kewei.Transaction{OccurredAt: tr.at, Amount: tr.amount}); err != nil {
				t.Fatal(err)
			}
		}
		opps := sqlstore.NewOpportunityService(db)
		if err := opps.CreateOpportunity(sys, &kewei.Opportunity{CustomerID: f.ID, Name: "首购", Amount: 5000000, StageID: 5, CampaignID: spring.ID}); err != nil {
			t.Fatal(err)
		}

		got, err := events.FindEvent(sys, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Invited != 3 || got.Accepted != 2 || got.Declined != 1 || got.Attended != 1 || got.Guests != 2 || got.Leads != 2 ||
			got.AttendeesBought != 1 || got.LeadsBought != 1 || math.Abs(got.Conversion-2.0/3) > 1e-9 {
			t.Errorf("event funnel: %+v", got)
		}
		r, err := campaigns.FindCampaign(sys, spring.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Leads C, F, G; bought C and F for 30,000 + 50,000; ROI (80,000 − 10,000) / 10,000 = 7.
		if r.Leads != 3 || r.LeadsBought != 2 || r.Revenue != 8000000 || r.CostPerLead != 333333 || math.Abs(r.ROI-7) > 1e-9 ||
			r.Opportunities != 1 || r.Won != 1 || r.WonAmount != 5000000 || math.Abs(r.Conversion-2.0/3) > 1e-9 {
			t.Errorf("campaign: %+v", r)
		}
		rep, err := campaigns.CampaignReport(sys, day(1, 0), day(30, 0))
		if err != nil || len(rep.Campaigns) != 1 || len(rep.Sources) != 2 {
			t.Fatalf("report: %+v %v", rep, err)
		}
		if s := rep.Sources[0]; s.Source != kewei.SourceStore || s.Customers != 5 || s.Bought != 3 || s.Revenue != 24000000 {
			t.Errorf("store: %+v", s)
		}
		if s := rep.Sources[1]; s.Source != kewei.SourceEvent || s.Customers != 2 || s.Bought != 1 || s.Revenue != 5000000 {
			t.Errorf("event: %+v", s)
		}
		if c, err := campaigns.CampaignOf(sys, f.ID); err != nil || c == nil || c.ID != spring.ID {
			t.Errorf("F's campaign: %v %v", c, err)
		}
	})
}
