package kewei

import "context"

// Services are every service the API and the pages call; the program wires
// the store into them.
type Services struct {
	Customers       CustomerService
	Records         Records
	Timeline        TimelineService
	CustomFields    CustomFieldService
	Users           UserService
	Auth            AuthService
	Teams           TeamService
	Access          AccessService
	Audit           AuditService
	Privacy         PrivacyService
	Views           ViewService
	Imports         ImportService
	Duplicates      DuplicateService
	Tiers           TierService
	Playbooks       PlaybookService
	Handovers       HandoverService
	Calendars       CalendarService
	Pool            PoolService
	Complaints      ComplaintService
	Surveys         SurveyService
	Visits          VisitService
	Referrals       ReferralService
	Opportunities   OpportunityService
	Scorecards      ScorecardService
	Campaigns       CampaignService
	Events          EventService
	Churn           ChurnService
	Recommendations RecommendService
	Products        ProductService
	Due             DueService
	Upgrades        UpgradeService
	Status          StatusService
	// Ready reports whether the database answers, for /readyz.
	Ready func(ctx context.Context) error
}
