package kewei

// CustomerKind tells a person from an organisation.
type CustomerKind string

// Customer kinds.
const (
	KindIndividual CustomerKind = "individual"
	KindCompany    CustomerKind = "company"
)

// CustomerKinds lists every kind.
var CustomerKinds = []CustomerKind{KindIndividual, KindCompany}

// Enum lists the allowed values.
func (CustomerKind) Enum() []string { return enumStrings(CustomerKinds) }

// Stage is where a customer is in their life with us.
type Stage string

// Lifecycle stages: 意向 → 保有 → 流失.
const (
	StageProspect Stage = "prospect"
	StageCustomer Stage = "customer"
	StageLost     Stage = "lost"
)

// Stages lists every stage.
var Stages = []Stage{StageProspect, StageCustomer, StageLost}

// Enum lists the allowed values.
func (Stage) Enum() []string { return enumStrings(Stages) }

// Intent grades a prospect by how soon they are expected to buy.
type Intent string

// Intent grades: H within 7 days, A within 15, B within 30, C within 3 months.
const (
	IntentH Intent = "H"
	IntentA Intent = "A"
	IntentB Intent = "B"
	IntentC Intent = "C"
)

// Intents lists every grade, the hottest first.
var Intents = []Intent{IntentH, IntentA, IntentB, IntentC}

// Enum lists the allowed values.
func (Intent) Enum() []string { return enumStrings(Intents) }

// Tier is a customer's value tier: A (VIP), B (key), C (ordinary), D (small).
type Tier string

// Value tiers.
const (
	TierA Tier = "A"
	TierB Tier = "B"
	TierC Tier = "C"
	TierD Tier = "D"
)

// Tiers lists every tier, the most valuable first.
var Tiers = []Tier{TierA, TierB, TierC, TierD}

// Enum lists the allowed values.
func (Tier) Enum() []string { return enumStrings(Tiers) }

// Source is the channel a customer first came through.
type Source string

// Sources of customers.
const (
	SourceSurvey     Source = "survey"
	SourceEvent      Source = "event"
	SourceService    Source = "service_visit"
	SourceStore      Source = "store"
	SourceExpo       Source = "expo"
	SourceWebsite    Source = "website"
	SourceCallCentre Source = "call_centre"
	SourceComplaint  Source = "complaint"
	SourceReferral   Source = "referral"
	SourceOther      Source = "other"
)

// Sources lists every source.
var Sources = []Source{SourceSurvey, SourceEvent, SourceService, SourceStore, SourceExpo,
	SourceWebsite, SourceCallCentre, SourceComplaint, SourceReferral, SourceOther}

// Enum lists the allowed values.
func (Source) Enum() []string { return enumStrings(Sources) }

// Gender as the customer gave it.
type Gender string

// Genders.
const (
	GenderFemale Gender = "female"
	GenderMale   Gender = "male"
)

// Genders lists every gender.
var Genders = []Gender{GenderFemale, GenderMale}

// Enum lists the allowed values.
func (Gender) Enum() []string { return enumStrings(Genders) }

// AgeBand is an age range, kept instead of an age that goes stale.
type AgeBand string

// AgeBands lists the bands.
var AgeBands = []AgeBand{"under_25", "25_34", "35_44", "45_54", "55_64", "65_plus"}

// Enum lists the allowed values.
func (AgeBand) Enum() []string { return enumStrings(AgeBands) }

// PhoneLabels lists the kinds of phone number.
var PhoneLabels = []string{"mobile", "work", "home", "other"}

// DateKinds lists the kinds of important date.
var DateKinds = []string{"delivery", "account_opening", "anniversary", "contract_end", "other"}

// ContactRole is a company contact's part in decisions.
type ContactRole string

// Contact roles.
const (
	ContactDecisionMaker ContactRole = "decision_maker"
	ContactInfluencer    ContactRole = "influencer"
	ContactFrontDesk     ContactRole = "front_desk"
	ContactUser          ContactRole = "user"
	ContactOther         ContactRole = "other"
)

// ContactRoles lists every role.
var ContactRoles = []ContactRole{ContactDecisionMaker, ContactInfluencer, ContactFrontDesk, ContactUser, ContactOther}

// Enum lists the allowed values.
func (ContactRole) Enum() []string { return enumStrings(ContactRoles) }

// InteractionKind is how we were in touch.
type InteractionKind string

// Interaction kinds.
const (
	InteractionCall   InteractionKind = "call"
	InteractionSMS    InteractionKind = "sms"
	InteractionEmail  InteractionKind = "email"
	InteractionVisit  InteractionKind = "visit"
	InteractionWeChat InteractionKind = "wechat"
	InteractionEvent  InteractionKind = "event"
	InteractionLetter InteractionKind = "letter"
)

// InteractionKinds lists every kind.
var InteractionKinds = []InteractionKind{InteractionCall, InteractionSMS, InteractionEmail,
	InteractionVisit, InteractionWeChat, InteractionEvent, InteractionLetter}

// Enum lists the allowed values.
func (InteractionKind) Enum() []string { return enumStrings(InteractionKinds) }

// Purpose is what a communication was for.
type Purpose string

// Purposes of communication: policy (terms, products, rules), information
// (news, offers, reminders), relationship (care, greetings, thanks).
const (
	PurposePolicy       Purpose = "policy"
	PurposeInformation  Purpose = "information"
	PurposeRelationship Purpose = "relationship"
)

// Purposes lists every purpose.
var Purposes = []Purpose{PurposePolicy, PurposeInformation, PurposeRelationship}

// Enum lists the allowed values.
func (Purpose) Enum() []string { return enumStrings(Purposes) }

// Direction tells whether we reached out or the customer did.
type Direction string

// Directions.
const (
	DirectionOut Direction = "outbound"
	DirectionIn  Direction = "inbound"
)

// Directions lists both directions.
var Directions = []Direction{DirectionOut, DirectionIn}

// Enum lists the allowed values.
func (Direction) Enum() []string { return enumStrings(Directions) }

// HoldingStatus tells whether the customer still has what they bought.
type HoldingStatus string

// Holding statuses.
const (
	HoldingActive HoldingStatus = "active"
	HoldingEnded  HoldingStatus = "ended"
)

// HoldingStatuses lists every status.
var HoldingStatuses = []HoldingStatus{HoldingActive, HoldingEnded}

// Enum lists the allowed values.
func (HoldingStatus) Enum() []string { return enumStrings(HoldingStatuses) }
