package kewei

import (
	"context"
	"fmt"
	"time"
)

// TriggerKind says what starts a playbook step.
type TriggerKind string

// Triggers: a date on the customer or a holding, an event, a rhythm since
// the last contact, a holiday.
const (
	TriggerDate      TriggerKind = "date"
	TriggerEvent     TriggerKind = "event"
	TriggerRecurring TriggerKind = "recurring"
	TriggerHoliday   TriggerKind = "holiday"
)

// TriggerKinds lists every trigger.
var TriggerKinds = []TriggerKind{TriggerDate, TriggerEvent, TriggerRecurring, TriggerHoliday}

// Enum lists the allowed values, for the OpenAPI document.
func (TriggerKind) Enum() []string { return enumStrings(TriggerKinds) }

// Dates a step can count from.
const (
	DateDelivery       = "delivery"        // a holding's acquired_on
	DateAnniversary    = "anniversary"     // each yearly return of a delivery
	DateContractEnd    = "contract_end"    // a holding's renewal_due, or a contract's end
	DateBirthday       = "birthday"        // the customer's, each year
	DateFamilyBirthday = "family_birthday" // a family member's, each year
	DateCreated        = "created"         // when the customer was added
	DatePurchase       = "purchase"        // the customer's latest purchase
	DateService        = "service"         // the customer's latest after-sales service
	DateReplacement    = "replacement_due" // a holding's due date for replacement or renewal
)

// StepDates lists the dates a step can count from.
var StepDates = []string{DateDelivery, DatePurchase, DateService, DateAnniversary, DateContractEnd, DateReplacement, DateBirthday,
	DateFamilyBirthday, DateCreated}

// Events a step can follow.
const (
	EventTierUp          = "tier_up"
	EventTierDown        = "tier_down"
	EventComplaintClosed = "complaint_closed"
	EventSurveyAnswered  = "survey_answered"
	EventChurnRisk       = "churn_risk"
)

// StepEvents lists the events a step can follow.
var StepEvents = []string{EventTierUp, EventTierDown, EventComplaintClosed, EventSurveyAnswered, EventChurnRisk}

// Assignee says who does a step's task.
type Assignee string

// Assignees: the customer's owner, the owner's manager, the service desk.
const (
	AssignOwner   Assignee = "owner"
	AssignManager Assignee = "manager"
	AssignService Assignee = "service"
)

// Assignees lists every assignee.
var Assignees = []Assignee{AssignOwner, AssignManager, AssignService}

// Enum lists the allowed values, for the OpenAPI document.
func (Assignee) Enum() []string { return enumStrings(Assignees) }

// PlaybookStep is one step: when (trigger and offset), what (action), who,
// and what to say.
type PlaybookStep struct {
	Key           string          `json:"key" doc:"Stable within the playbook, e.g. call_1; tasks remember it."`
	Trigger       TriggerKind     `json:"trigger"`
	Date          string          `json:"date,omitempty" doc:"date: delivery, purchase, service, anniversary, contract_end, replacement_due (a holding's replacement or renewal date: its own, the customer's rhythm or the product's life cycle), birthday, family_birthday or created."`
	Category      string          `json:"category,omitempty" doc:"date on a holding: only holdings of this category."`
	Event         string          `json:"event,omitempty" doc:"event: tier_up, tier_down, complaint_closed or survey_answered."`
	EveryDays     int             `json:"every_days,omitempty" doc:"recurring: days since the last contact."`
	Holiday       string          `json:"holiday,omitempty" doc:"holiday: spring_festival, mid_autumn, dragon_boat, national_day …"`
	OffsetDays    int             `json:"offset_days" doc:"Days after the trigger (negative: before); 0 is the same day."`
	Action        InteractionKind `json:"action"`
	Assignee      Assignee        `json:"assignee"`
	TalkingPoints string          `json:"talking_points" doc:"{推荐} or {recommendations} in it become the customer's three likeliest next purchases with their reasons."`
	// Narrower than the playbook's audience: the tier sets the frequency.
	Tiers   []Tier   `json:"tiers,omitempty" doc:"Only customers of these tiers; all when empty."`
	Intents []Intent `json:"intents,omitempty" doc:"Only prospects of these intent grades; all when empty."`
	// SurveyID, when set, sends the customer a link to this satisfaction
	// survey with the task's reminder (or the assignee makes one from Today).
	SurveyID int64 `json:"survey_id,omitempty"`
}

// Audience picks the customers a playbook applies to; empty lists match all.
type Audience struct {
	Tiers   []Tier   `json:"tiers,omitempty"`
	Stages  []Stage  `json:"stages,omitempty"`
	Intents []Intent `json:"intents,omitempty"`
	Tags    []string `json:"tags,omitempty" doc:"Customers with any of these tags."`
}

// Playbook is a maintenance plan: ordered steps for the customers of its
// audience. Each save is a new version; tasks keep the step they came from.
type Playbook struct {
	ID          int64          `json:"id" kewei:"readonly"`
	Template    string         `json:"template" kewei:"readonly" doc:"The built-in template it was made from, if any."`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Enabled     bool           `json:"enabled"`
	Audience    Audience       `json:"audience"`
	Steps       []PlaybookStep `json:"steps"`
	CreatedAt   time.Time      `json:"created_at" kewei:"readonly"`
	UpdatedAt   time.Time      `json:"updated_at" kewei:"readonly"`
	Version     int            `json:"version" kewei:"readonly"`
}

// Validate names every bad field, by step.
func (pb *Playbook) Validate() error {
	var p Problems
	p.checkText("name", &pb.Name, true, 100)
	p.checkText("description", &pb.Description, false, 1000)
	if len(pb.Steps) == 0 {
		p.Add("steps", ReasonRequired, "a playbook needs at least one step")
	}
	seen := map[string]bool{}
	for i := range pb.Steps {
		s := &pb.Steps[i]
		f := fmt.Sprintf("steps[%d].", i)
		p.checkText(f+"key", &s.Key, true, 40)
		if seen[s.Key] {
			p.Add(f+"key", ReasonDuplicate, "key %q is used by another step", s.Key)
		}
		seen[s.Key] = true
		checkEnum(&p, f+"trigger", s.Trigger, TriggerKinds, true)
		checkEnum(&p, f+"action", s.Action, InteractionKinds, true)
		if s.Assignee == "" {
			s.Assignee = AssignOwner
		}
		checkEnum(&p, f+"assignee", s.Assignee, Assignees, true)
		p.checkText(f+"talking_points", &s.TalkingPoints, false, 2000)
		switch s.Trigger {
		case TriggerDate:
			checkEnum(&p, f+"date", s.Date, StepDates, true)
		case TriggerEvent:
			checkEnum(&p, f+"event", s.Event, StepEvents, true)
		case TriggerRecurring:
			if s.EveryDays < 1 || s.EveryDays > 3650 {
				p.Add(f+"every_days", ReasonOutOfRange, "must be 1 to 3650 days")
			}
		case TriggerHoliday:
			if s.Holiday == "" {
				p.Add(f+"holiday", ReasonRequired, "name the holiday")
			}
		}
		if s.OffsetDays < -365 || s.OffsetDays > 3650 {
			p.Add(f+"offset_days", ReasonOutOfRange, "must be -365 to 3650 days")
		}
	}
	return p.Err()
}

// PlaybookService is playbooks and tasks as the API and the pages see them.
type PlaybookService interface {
	PlaybookStore
	// RunTasks plans the tasks due by now (administrators and the system).
	RunTasks(ctx context.Context, now time.Time) (*TaskRun, error)
	// FollowUp is task adherence in [from, to) by person, team and step,
	// and coverage: customers by tier not contacted for days.
	FollowUp(ctx context.Context, from, to time.Time, days int) (*Adherence, error)
	// HolidayDays lists every built-in holiday's date in a year, the
	// administrator's where set.
	HolidayDays(ctx context.Context, year int) ([]HolidayDay, error)
}
