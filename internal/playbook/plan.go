package playbook

import (
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// The planner's inputs and outputs are the domain's, so the store can read
// and write them.
type (
	Facts      = kewei.CustomerFacts
	Holding    = kewei.HoldingDates
	TierChange = kewei.TierMove
	Planned    = kewei.PlannedTask
)

// Window is the due dates a run plans: from From (a catch-up after
// downtime) to To (a little ahead, so tomorrow's calls show today).
// Keep-in-touch steps are planned however long overdue they are.
type Window struct {
	From, To kewei.Date
	// Holiday gives a holiday's date in a year: HolidayDate when nil, or
	// the administrator's official dates over it.
	Holiday func(key string, year int) kewei.Date
}

func (w Window) holds(d kewei.Date) bool {
	return !d.IsZero() && !before(d, w.From) && !before(w.To, d)
}

func before(a, b kewei.Date) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.Month != b.Month {
		return a.Month < b.Month
	}
	return a.Day < b.Day
}

// addDays moves d by n days.
func addDays(d kewei.Date, n int) kewei.Date { return d.AddDays(n) }

// inYear is d's return in year y; February 29 falls on the 28th in other
// years.
func inYear(d kewei.Date, y int) kewei.Date {
	if d.Month == time.February && d.Day == 29 && !leap(y) {
		return kewei.Date{Year: y, Month: time.February, Day: 28}
	}
	return kewei.Date{Year: y, Month: d.Month, Day: d.Day}
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Plan lists the tasks the playbook wants for the customer in the window,
// and how many it left out because the customer refused the channel.
func Plan(pb *kewei.Playbook, f *Facts, w Window) (out []Planned, refused int) {
	if !pb.Enabled || !inAudience(pb.Audience, f) {
		return nil, 0
	}
	for _, s := range pb.Steps {
		if (len(s.Tiers) > 0 && !slices.Contains(s.Tiers, f.Tier)) || (len(s.Intents) > 0 && !slices.Contains(s.Intents, f.Intent)) {
			continue
		}
		anchors := stepAnchors(s, f, w)
		if len(anchors) == 0 {
			continue
		}
		if ch := kewei.ChannelOf(s.Action); ch != "" && slices.Contains(f.Refused, ch) {
			refused += len(anchors)
			continue
		}
		id, role := assignee(s.Assignee, f)
		for _, a := range anchors {
			out = append(out, Planned{CustomerID: f.ID, PlaybookID: pb.ID, StepKey: s.Key, Anchor: a, Due: addDays(a, s.OffsetDays),
				AssigneeID: id, Role: role, Action: s.Action, TalkingPoints: s.TalkingPoints, SurveyID: s.SurveyID})
		}
	}
	return out, refused
}

func inAudience(a kewei.Audience, f *Facts) bool {
	if len(a.Tiers) > 0 && !slices.Contains(a.Tiers, f.Tier) {
		return false
	}
	if len(a.Stages) > 0 && !slices.Contains(a.Stages, f.Stage) {
		return false
	}
	if len(a.Intents) > 0 && !slices.Contains(a.Intents, f.Intent) {
		return false
	}
	if len(a.Tags) > 0 && !slices.ContainsFunc(a.Tags, func(t string) bool { return slices.Contains(f.Tags, t) }) {
		return false
	}
	return true
}

// assignee resolves who does the step: the owner's manager falls back to
// the owner, a customer without an owner waits for anyone of the role.
func assignee(a kewei.Assignee, f *Facts) (int64, kewei.Assignee) {
	switch a {
	case kewei.AssignManager:
		if f.ManagerID != 0 {
			return f.ManagerID, a
		}
		return f.OwnerID, kewei.AssignOwner
	case kewei.AssignService:
		return 0, a
	}
	return f.OwnerID, kewei.AssignOwner
}

// stepAnchors lists the dates the step counts from whose due date falls in
// the window.
func stepAnchors(s kewei.PlaybookStep, f *Facts, w Window) []kewei.Date {
	var out []kewei.Date
	once := func(a kewei.Date) {
		if !a.IsZero() && w.holds(addDays(a, s.OffsetDays)) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	yearly := func(d kewei.Date, from int) {
		if d.IsZero() {
			return
		}
		for y := max(w.From.Year-1, d.Year+from); y <= w.To.Year+1; y++ {
			once(inYear(d, y))
		}
	}
	switch s.Trigger {
	case kewei.TriggerDate:
		switch s.Date {
		case kewei.DateDelivery, kewei.DateAnniversary, kewei.DateContractEnd, kewei.DateReplacement:
			for _, h := range f.Holdings {
				if s.Category != "" && h.Category != s.Category {
					continue
				}
				switch s.Date {
				case kewei.DateDelivery:
					once(h.AcquiredOn)
				case kewei.DateAnniversary:
					yearly(h.AcquiredOn, 1)
				case kewei.DateReplacement:
					once(h.DueOn)
				default:
					once(h.RenewalDue)
				}
			}
			if s.Date == kewei.DateContractEnd && s.Category == "" {
				for _, d := range f.ContractEnds {
					once(d)
				}
			}
		case kewei.DateBirthday:
			yearly(f.Birthday, 1)
		case kewei.DateFamilyBirthday:
			for _, b := range f.Family {
				yearly(b, 1)
			}
		case kewei.DateCreated:
			once(f.Created)
		case kewei.DatePurchase:
			once(f.LastPurchase)
		case kewei.DateService:
			once(f.LastService)
		}
	case kewei.TriggerEvent:
		switch s.Event {
		case kewei.EventComplaintClosed:
			for _, d := range f.ComplaintsClosed {
				once(d)
			}
		case kewei.EventSurveyAnswered:
			for _, d := range f.SurveysAnswered {
				once(d)
			}
		case kewei.EventChurnRisk:
			for _, d := range f.RetentionAsked {
				once(d)
			}
		default:
			for _, c := range f.TierChanges {
				if c.Up == (s.Event == kewei.EventTierUp) {
					once(c.On)
				}
			}
		}
	case kewei.TriggerRecurring:
		last := f.LastContact
		if last.IsZero() {
			last = f.Created
		}
		if a := addDays(last, s.EveryDays); !last.IsZero() && !before(w.To, addDays(a, s.OffsetDays)) {
			out = append(out, a)
		}
	case kewei.TriggerHoliday:
		holiday := w.Holiday
		if holiday == nil {
			holiday = HolidayDate
		}
		for y := w.From.Year - 1; y <= w.To.Year+1; y++ {
			once(holiday(s.Holiday, y))
		}
	}
	return out
}
