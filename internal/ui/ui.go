// Package ui serves Kewei's pages: server-rendered from embedded templates,
// in Chinese and English, through the same services as the API, so scopes
// and masking hold on every page exactly as they do there.
package ui

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
)

// Options tune the pages.
type Options struct {
	Logger *slog.Logger
	// Location shows instants in the installation's time zone.
	Location *time.Location
	// SecureCookies marks cookies Secure (behind HTTPS).
	SecureCookies bool
	// Now is the clock; tests fix it.
	Now func() time.Time
}

// Server serves the pages.
type Server struct {
	svc    kewei.Services
	opt    Options
	cat    *i18n.Catalogs
	pages  *pages
	assets *assets
	mux    *http.ServeMux
	// training is the churn training the model page started, if any.
	training training
}

// New parses the templates and the catalogs once and returns the pages.
func New(svc kewei.Services, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	ps, err := parsePages(as)
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, opt: opt, cat: cat, pages: ps, assets: as, mux: http.NewServeMux()}
	s.routes()
	return s, nil
}

// routes lists every page and form action in one place.
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", s.assets)
	m.HandleFunc("GET /signin", s.signInPage)
	m.HandleFunc("POST /signin", s.signIn)
	m.HandleFunc("POST /locale", s.setLocale)
	m.HandleFunc("GET /s/{token}", s.surveyLink)
	m.HandleFunc("POST /s/{token}", s.surveyAnswer)
	m.Handle("POST /signout", s.auth(s.signOut))
	m.Handle("GET /{$}", s.auth(s.today))
	m.Handle("GET /customers", s.auth(s.customerList))
	m.Handle("GET /customers/new", s.auth(s.customerNew))
	m.Handle("POST /customers/new", s.auth(s.customerCreate))
	m.Handle("GET /customers/{id}", s.auth(s.customerView))
	m.Handle("GET /customers/{id}/edit", s.auth(s.customerEdit))
	m.Handle("POST /customers/{id}/edit", s.auth(s.customerSave))
	m.Handle("POST /customers/{id}/log", s.auth(s.customerLog))
	m.Handle("POST /customers/{id}/reveal", s.auth(s.customerReveal))
	m.Handle("POST /views", s.auth(s.viewSave))
	m.Handle("POST /views/{id}/delete", s.auth(s.viewDelete))
	m.Handle("GET /admin/users", s.auth(s.usersPage))
	m.Handle("POST /admin/users", s.auth(s.userCreate))
	m.Handle("POST /admin/users/{id}", s.auth(s.userSave))
	m.Handle("POST /admin/handover", s.auth(s.handover))
	m.Handle("GET /admin/teams", s.auth(s.teamsPage))
	m.Handle("POST /admin/teams", s.auth(s.teamCreate))
	m.Handle("GET /admin/fields", s.auth(s.fieldsPage))
	m.Handle("POST /admin/fields", s.auth(s.fieldCreate))
	m.Handle("POST /admin/fields/{id}", s.auth(s.fieldSave))
	m.Handle("POST /admin/fields/{id}/delete", s.auth(s.fieldDelete))
	m.Handle("GET /duplicates", s.auth(s.duplicatesPage))
	m.Handle("POST /duplicates/merge", s.auth(s.duplicateMerge))
	m.Handle("POST /duplicates/{id}/dismiss", s.auth(s.duplicateDismiss))
	m.Handle("POST /merges/{id}/undo", s.auth(s.mergeUndo))
	m.Handle("GET /imports", s.auth(s.importsPage))
	m.Handle("POST /imports", s.auth(s.importStart))
	m.Handle("GET /imports/{id}", s.auth(s.importPage))
	m.Handle("POST /imports/{id}/cancel", s.auth(s.importCancel))
	m.Handle("GET /value", s.auth(s.valuePage))
	m.Handle("POST /value/run", s.auth(s.valueRun))
	m.Handle("GET /value/rules", s.auth(s.rulesPage))
	m.Handle("POST /value/rules", s.auth(s.ruleCreate))
	m.Handle("POST /value/rules/{id}", s.auth(s.ruleSave))
	m.Handle("POST /value/rules/{id}/delete", s.auth(s.ruleDelete))
	m.Handle("POST /customers/{id}/tier", s.auth(s.customerTier))
	m.Handle("POST /customers/{id}/tier/lift", s.auth(s.customerTierLift))
	m.Handle("POST /tasks/{id}/complete", s.auth(s.taskComplete))
	m.Handle("POST /tasks/{id}/skip", s.auth(s.taskSkip))
	m.Handle("GET /playbooks", s.auth(s.playbooksPage))
	m.Handle("GET /follow-up", s.auth(s.followUpPage))
	m.Handle("GET /complaints", s.auth(s.complaintsPage))
	m.Handle("GET /reports/service", s.auth(s.serviceReportPage))
	m.Handle("GET /surveys", s.auth(s.surveysPage))
	m.Handle("POST /surveys", s.auth(s.surveySave))
	m.Handle("GET /complaints/{id}", s.auth(s.complaintPage))
	m.Handle("POST /complaints/{id}/steps", s.auth(s.complaintStep))
	m.Handle("POST /customers/{id}/complaints", s.auth(s.complaintCreate))
	m.Handle("POST /customers/{id}/visits", s.auth(s.visitCreate))
	m.Handle("GET /visits", s.auth(s.visitsPage))
	m.Handle("GET /opportunities", s.auth(s.pipelinePage))
	m.Handle("GET /scorecard", s.auth(s.scorecardPage))
	m.Handle("GET /campaigns", s.auth(s.campaignsPage))
	m.Handle("POST /campaigns", s.auth(s.campaignCreate))
	m.Handle("POST /customers/{id}/campaign", s.auth(s.campaignAttribute))
	m.Handle("GET /events", s.auth(s.eventsPage))
	m.Handle("POST /events", s.auth(s.eventCreate))
	m.Handle("GET /events/{id}", s.auth(s.eventPage))
	m.Handle("POST /events/{id}/invitations", s.auth(s.eventInvite))
	m.Handle("POST /events/{id}/leads", s.auth(s.eventLead))
	m.Handle("POST /invitations/{id}", s.auth(s.invitationSave))
	m.Handle("GET /scorecard.csv", s.auth(s.scorecardCSV))
	m.Handle("GET /products", s.auth(s.productsPage))
	m.Handle("POST /products", s.auth(s.productSave))
	m.Handle("GET /products/{id}", s.auth(s.productEditPage))
	m.Handle("POST /products/{id}", s.auth(s.productSave))
	m.Handle("POST /products/{id}/delete", s.auth(s.productDelete))
	m.Handle("GET /replacements", s.auth(s.duePage))
	m.Handle("GET /upgrades", s.auth(s.upgradesPage))
	m.Handle("POST /upgrades/tasks", s.auth(s.upgradeTasks))
	m.Handle("GET /churn", s.auth(s.churnPage))
	m.Handle("POST /churn/retention", s.auth(s.churnRetention))
	m.Handle("GET /churn/model", s.auth(s.churnModelPage))
	m.Handle("POST /churn/train", s.auth(s.churnTrain))
	m.Handle("POST /churn/active", s.auth(s.churnActivate))
	m.Handle("POST /customers/{id}/retention", s.auth(s.customerRetention))
	m.Handle("GET /opportunities/{id}", s.auth(s.opportunityPage))
	m.Handle("POST /opportunities/{id}", s.auth(s.opportunitySave))
	m.Handle("POST /opportunities/{id}/move", s.auth(s.opportunityMove))
	m.Handle("POST /customers/{id}/opportunities", s.auth(s.opportunityCreate))
	m.Handle("POST /customers/{id}/contracts", s.auth(s.contractCreate))
	m.Handle("POST /contracts/{id}/status", s.auth(s.contractStatus))
	m.Handle("GET /admin/stages", s.auth(s.stagesPage))
	m.Handle("GET /admin/status", s.auth(s.statusPage))
	m.Handle("POST /admin/stages", s.auth(s.stagesSave))
	m.Handle("POST /customers/{id}/referral-cards", s.auth(s.referralIssue))
	m.Handle("POST /customers/{id}/referred-by", s.auth(s.referralLink))
	m.Handle("GET /referral-cards/{id}", s.auth(s.referralCardPage))
	m.Handle("POST /referrals/{id}/redeem", s.auth(s.referralRedeem))
	m.Handle("GET /visits/{id}", s.auth(s.visitPage))
	m.Handle("POST /visits/{id}/report", s.auth(s.visitReport))
	m.Handle("POST /visits/{id}/review", s.auth(s.visitReview))
	m.Handle("POST /visits/{id}/attachments", s.auth(s.visitAttach))
	m.Handle("GET /attachments/{id}", s.auth(s.attachmentDownload))
	m.Handle("POST /customers/{id}/services", s.auth(s.serviceCreate))
	m.Handle("POST /customers/{id}/survey", s.auth(s.surveyInvite))
	m.Handle("GET /pool", s.auth(s.poolPage))
	m.Handle("POST /pool/settings", s.auth(s.poolSettings))
	m.Handle("POST /pool/{id}/claim", s.auth(s.poolClaim))
	m.Handle("POST /playbooks", s.auth(s.playbookCreate))
	m.Handle("GET /playbooks/{id}", s.auth(s.playbookPage))
	m.Handle("POST /playbooks/{id}", s.auth(s.playbookSave))
	m.Handle("POST /playbooks/{id}/delete", s.auth(s.playbookDelete))
	m.Handle("POST /playbooks/run", s.auth(s.playbookRun))
	m.Handle("POST /playbooks/holidays", s.auth(s.holidaysSave))
	m.Handle("GET /audit", s.auth(s.auditPage))
	m.Handle("GET /me", s.auth(s.mePage))
	m.Handle("POST /me/locale", s.auth(s.meLocale))
	m.Handle("POST /me/password", s.auth(s.mePassword))
	m.Handle("POST /me/tokens", s.auth(s.meTokenCreate))
	m.Handle("POST /me/calendar", s.auth(s.meCalendar))
	m.Handle("POST /me/tokens/{id}/revoke", s.auth(s.meTokenRevoke))
	m.HandleFunc("/", s.notFound)
}

// ServeHTTP serves the pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
