// Package wire connects the store to the services the API and the pages
// call. The program, the benchmarks and the tests wire the same way.
package wire

import (
	"context"
	"log/slog"
	"time"

	"github.com/kewei-crm/kewei/internal/api"
	"github.com/kewei-crm/kewei/internal/complaint"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/monitor"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/recommend"
	"github.com/kewei-crm/kewei/internal/retention"
	"github.com/kewei-crm/kewei/internal/scorecard"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/tiering"
)

// Services returns every service of db; sessions last ttl; imported dates
// without a zone are read in loc (UTC when nil).
func Services(db *sqlstore.DB, ttl time.Duration, loc *time.Location) api.Services {
	if loc == nil {
		loc = time.UTC
	}
	runner := &importer.Runner{Store: sqlstore.NewImportStore(db), Fields: sqlstore.NewCustomFieldService(db).FindCustomFields, Now: db.Now}
	playbooks := &playbook.Service{PlaybookStore: sqlstore.NewPlaybookService(db), Location: loc, Logger: slog.Default(),
		Pool: sqlstore.NewPoolService(db)}
	svc := api.Services{
		Customers:     sqlstore.NewCustomerService(db),
		Records:       sqlstore.NewRecords(db),
		Timeline:      sqlstore.NewTimelineService(db),
		CustomFields:  sqlstore.NewCustomFieldService(db),
		Users:         sqlstore.NewUserService(db),
		Auth:          sqlstore.NewAuthService(db, ttl),
		Teams:         sqlstore.NewTeamService(db),
		Access:        sqlstore.NewAccessService(db),
		Audit:         sqlstore.NewAuditService(db),
		Privacy:       sqlstore.NewPrivacyService(db),
		Views:         sqlstore.NewViewService(db),
		Imports:       &importer.Service{Runner: runner, Location: loc, Logger: slog.Default()},
		Duplicates:    sqlstore.NewDuplicateService(db),
		Tiers:         &tiering.Service{TierStore: sqlstore.NewTierService(db), Location: loc, Logger: slog.Default()},
		Handovers:     sqlstore.NewHandoverService(db),
		Calendars:     sqlstore.NewCalendarService(db),
		Playbooks:     playbooks,
		Pool:          sqlstore.NewPoolService(db),
		Surveys:       sqlstore.NewSurveyService(db),
		Visits:        sqlstore.NewVisitService(db),
		Referrals:     sqlstore.NewReferralService(db),
		Opportunities: sqlstore.NewOpportunityService(db),
		Campaigns:     sqlstore.NewCampaignService(db),
		Events:        sqlstore.NewEventService(db),
		Complaints: &complaint.Service{ComplaintStore: sqlstore.NewComplaintService(db), Location: loc,
			Surveys: sqlstore.NewSurveyService(db), Users: sqlstore.NewUserService(db), Teams: sqlstore.NewTeamService(db),
			Holidays: sqlstore.NewPlaybookService(db)},
		Churn: &retention.Service{Store: sqlstore.NewChurnService(db), Planner: playbooks, Location: loc, Now: db.Now},
		Ready: db.Ping,
	}
	customers := svc.Customers
	products := sqlstore.NewProductService(db)
	recs := &recommend.Service{Store: sqlstore.NewPurchaseService(db), Visible: func(ctx context.Context, id int64) error {
		_, err := customers.FindCustomerByID(ctx, id)
		return err
	}, OneOffs: products.OneOffsOf}
	svc.Recommendations, svc.Products, svc.Due = recs, products, products
	svc.Upgrades = &recommend.Upgrades{Recommender: recs, Store: sqlstore.NewUpgradeStore(db), Location: loc, Now: db.Now}
	playbooks.Recommender = recs
	mon := monitor.New(db)
	svc.Status = mon
	if is, ok := svc.Imports.(*importer.Service); ok {
		is.Done = mon.Imported
	}
	svc.Scorecards = &scorecard.Service{Counter: sqlstore.NewScoreCounter(db), Complaints: svc.Complaints, Users: svc.Users,
		Teams: svc.Teams, Location: loc}
	return svc
}
