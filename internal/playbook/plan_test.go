package playbook

import (
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func d(s string) kewei.Date {
	v, err := kewei.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func enabled(key string) *kewei.Playbook {
	pb := Template(key)
	pb.ID, pb.Enabled = 1, true
	return pb
}

func TestTemplatesAreValid(t *testing.T) {
	for _, k := range Templates {
		if err := Template(k).Validate(); err != nil {
			t.Errorf("template %s: %v", k, err)
		}
	}
}

// planDays runs the planner day by day, as the nightly job would, and
// returns every task it planned once.
func planDays(pb *kewei.Playbook, f *Facts, from, to string) map[string]Planned {
	out := map[string]Planned{}
	for day := d(from); day.String() <= to; day = addDays(day, 1) {
		got, _ := Plan(pb, f, Window{From: addDays(day, -14), To: addDays(day, 1)})
		for _, p := range got {
			out[p.StepKey+" "+p.Anchor.String()] = p
		}
	}
	return out
}

func TestDeliveredCustomerGetsTheSeedsCalls(t *testing.T) {
	f := &Facts{ID: 7, OwnerID: 100, ManagerID: 200, Stage: kewei.StageCustomer, Created: d("2026-11-20"),
		LastContact: d("2026-11-20"), Holdings: []Holding{{Category: "car", AcquiredOn: d("2026-11-20")}}}
	got := planDays(enabled(TemplateDelivery), f, "2026-11-20", "2026-12-10")
	want := map[string]struct {
		due  string
		who  int64
		what kewei.InteractionKind
	}{
		"call_1 2026-11-20":           {"2026-11-21", 100, kewei.InteractionCall},
		"thank_you_letter 2026-11-20": {"2026-11-21", 100, kewei.InteractionLetter},
		"manager_call 2026-11-20":     {"2026-11-23", 200, kewei.InteractionCall},
		"call_3 2026-11-20":           {"2026-11-27", 100, kewei.InteractionCall},
		"survey 2026-11-20":           {"2026-11-30", 100, kewei.InteractionSMS},
	}
	if len(got) != len(want) {
		t.Fatalf("planned %v, want exactly the five delivery tasks", got)
	}
	for k, w := range want {
		p, ok := got[k]
		if !ok || p.Due.String() != w.due || p.AssigneeID != w.who || p.Action != w.what {
			t.Errorf("%s: %+v, want due %s for %d by %s", k, p, w.due, w.who, w.what)
		}
	}
	// Two months after the last contact the keep-in-touch call comes.
	later := planDays(enabled(TemplateDelivery), f, "2027-01-15", "2027-01-20")
	if p, ok := later["keep_in_touch 2027-01-19"]; !ok || p.Due.String() != "2027-01-19" {
		t.Errorf("keep-in-touch: %v", later)
	}
}

func TestGreetingsAndHolidays(t *testing.T) {
	f := &Facts{ID: 1, OwnerID: 5, Stage: kewei.StageCustomer, Birthday: d("1980-02-29"), Family: []kewei.Date{d("2015-06-01")},
		Holdings: []Holding{{AcquiredOn: d("2024-03-10")}}, LastContact: d("2027-01-01")}
	got := planDays(enabled(TemplateDelivery), f, "2027-02-20", "2027-06-02")
	for _, k := range []string{"birthday 2027-02-28", "anniversary 2027-03-10", "family_birthday 2027-06-01"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %s in %v", k, got)
		}
	}
	p := &Facts{ID: 2, OwnerID: 5, Stage: kewei.StageProspect, Intent: kewei.IntentC, LastContact: d("2027-01-20")}
	hol := planDays(enabled(TemplateProspect), p, "2027-01-25", "2027-09-30")
	for k, due := range map[string]string{"spring_festival 2027-02-06": "2027-02-04", "mid_autumn 2027-09-15": "2027-09-13"} {
		if got, ok := hol[k]; !ok || got.Due.String() != due {
			t.Errorf("%s: %+v, want due %s (two days before)", k, got, due)
		}
	}
}

func TestRefusedChannelGetsNoTask(t *testing.T) {
	f := &Facts{ID: 7, OwnerID: 100, Stage: kewei.StageCustomer, Refused: []kewei.Channel{kewei.ChannelPhone},
		Holdings: []Holding{{AcquiredOn: d("2026-11-20")}}}
	got, refused := Plan(enabled(TemplateDelivery), f, Window{From: d("2026-11-20"), To: d("2026-11-28")})
	for _, p := range got {
		if p.Action == kewei.InteractionCall {
			t.Errorf("a call task for a customer who refused calls: %+v", p)
		}
	}
	if refused != 3 || len(got) != 1 {
		t.Errorf("planned %d (want only the letter), refused %d (want 3 calls)", len(got), refused)
	}
}

func TestTierSetsTheFrequency(t *testing.T) {
	pb := enabled(TemplateBank)
	vip := &Facts{ID: 1, Tier: kewei.TierA, LastContact: d("2026-10-01")}
	small := &Facts{ID: 2, Tier: kewei.TierD, LastContact: d("2026-10-01")}
	w := Window{From: d("2026-11-20"), To: d("2026-12-05")}
	a, _ := Plan(pb, vip, w)
	b, _ := Plan(pb, small, w)
	if len(a) != 1 || a[0].Action != kewei.InteractionVisit {
		t.Errorf("VIP: %+v, want one visit", a)
	}
	if len(b) != 1 || b[0].Action != kewei.InteractionSMS || b[0].Due.String() != "2026-11-30" {
		t.Errorf("small customer: %+v, want one message due 2026-11-30", b)
	}
	_ = time.UTC
}

func TestPurchaseTrigger(t *testing.T) {
	pb := &kewei.Playbook{ID: 1, Enabled: true, Steps: []kewei.PlaybookStep{{Key: "thanks", Trigger: kewei.TriggerDate,
		Date: kewei.DatePurchase, OffsetDays: 2, Action: kewei.InteractionCall}}}
	f := &Facts{ID: 1, OwnerID: 3, LastPurchase: d("2026-11-20")}
	got := planDays(pb, f, "2026-11-20", "2026-11-30")
	if p, ok := got["thanks 2026-11-20"]; !ok || p.Due.String() != "2026-11-22" || len(got) != 1 {
		t.Errorf("purchase follow-up: %v", got)
	}
}

// TestReplacementTrigger plans a call N days before a holding's due date,
// for holdings of the step's category only.
func TestReplacementTrigger(t *testing.T) {
	pb := &kewei.Playbook{ID: 1, Enabled: true, Steps: []kewei.PlaybookStep{{Key: "replace", Trigger: kewei.TriggerDate,
		Date: kewei.DateReplacement, Category: "car", OffsetDays: -60, Action: kewei.InteractionCall, TalkingPoints: "换购；" + SuggestZH}}}
	f := &Facts{ID: 1, OwnerID: 3, Holdings: []Holding{
		{Category: "car", AcquiredOn: d("2020-12-30"), DueOn: d("2027-01-29")},
		{Category: "deposit", DueOn: d("2027-01-10")},
		{Category: "car", AcquiredOn: d("2025-01-01")}, // not due
	}}
	got := planDays(pb, f, "2026-11-20", "2026-12-10")
	if p, ok := got["replace 2027-01-29"]; !ok || p.Due.String() != "2026-11-30" || len(got) != 1 {
		t.Errorf("replacement call: %v", got)
	}
}

func TestSuggestionText(t *testing.T) {
	recs := []kewei.Recommendation{{Product: "机油", Kind: "again", Times: 4}, {Product: "延保", Kind: "also", Because: "轿车", Share: 0.38},
		{Product: "脚垫", Kind: "popular", Buyers: 120}}
	if got := SuggestionText(recs, "zh"); got != "可推荐：机油（已购 4 次）、延保（买过 轿车 的客户 38% 也买了）、脚垫（近期 120 位客户购买）" {
		t.Errorf("zh: %s", got)
	}
	if got := SuggestionText(recs, "en"); got != "Suggest: 机油 (bought on 4 days), 延保 (bought by 38% of the buyers of 轿车), 脚垫 (bought by 120 customers lately)" {
		t.Errorf("en: %s", got)
	}
	if SuggestionText(nil, "zh") != "" {
		t.Error("nothing to suggest should say nothing")
	}
}
