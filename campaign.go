package kewei

import (
	"context"
	"time"
)

// CampaignChannels are the channels a campaign runs on.
var CampaignChannels = []string{"wechat", "sms", "phone", "email", "event", "exhibition", "online", "print", "referral", "other"}

// Campaign is a marketing effort with a cost; the customers it brought are
// its leads.
type Campaign struct {
	ID        int64     `json:"id" kewei:"readonly"`
	Name      string    `json:"name"`
	Channel   string    `json:"channel" doc:"wechat, sms, phone, email, event, exhibition, online, print, referral or other."`
	Cost      Money     `json:"cost"`
	StartsOn  Date      `json:"starts_on"`
	EndsOn    Date      `json:"ends_on"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at" kewei:"readonly"`
	Version   int       `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (c *Campaign) Validate() error {
	var p Problems
	p.checkText("name", &c.Name, true, 200)
	p.checkText("note", &c.Note, false, 2000)
	if !contains(CampaignChannels, c.Channel) {
		p.Add("channel", ReasonUnknownChoice, "must be one of %v", CampaignChannels)
	}
	if c.Cost < 0 {
		p.Add("cost", ReasonOutOfRange, "cannot be negative")
	}
	if !c.StartsOn.IsZero() && !c.EndsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		p.Add("ends_on", ReasonOutOfRange, "ends before it starts")
	}
	return p.Err()
}

// CampaignResult is a campaign with what it brought, counted over the
// customers the caller sees.
type CampaignResult struct {
	Campaign      *Campaign `json:"campaign"`
	Leads         int       `json:"leads" doc:"Customers attributed to the campaign, including those met at its events."`
	LeadsBought   int       `json:"leads_bought" doc:"Leads who bought since they were attributed."`
	Conversion    float64   `json:"conversion" doc:"leads_bought / leads."`
	Opportunities int       `json:"opportunities" doc:"Opportunities naming the campaign."`
	Won           int       `json:"won"`
	WonAmount     Money     `json:"won_amount"`
	Revenue       Money     `json:"revenue" doc:"Purchases of the leads since they were attributed."`
	CostPerLead   Money     `json:"cost_per_lead"`
	ROI           float64   `json:"roi" doc:"(revenue − cost) / cost; 0 for a campaign without cost."`
}

// SourceLine is how many new customers came through one source ("how did
// you hear of us") in a period, and what they bought.
type SourceLine struct {
	Source    Source `json:"source"`
	Customers int    `json:"customers"`
	Bought    int    `json:"bought"`
	Revenue   Money  `json:"revenue"`
}

// CampaignReport is every campaign's result and the sources of the
// period's new customers.
type CampaignReport struct {
	From      time.Time         `json:"from"`
	To        time.Time         `json:"to"`
	Campaigns []*CampaignResult `json:"campaigns"`
	Sources   []SourceLine      `json:"sources"`
}

// Attribution names the campaign a customer came through; zero removes it.
type Attribution struct {
	CampaignID int64 `json:"campaign_id"`
}

// CampaignService keeps campaigns and their leads; results count the
// caller's customers only.
type CampaignService interface {
	CreateCampaign(ctx context.Context, c *Campaign) error
	UpdateCampaign(ctx context.Context, id int64, p Patch) (*Campaign, error)
	FindCampaign(ctx context.Context, id int64) (*CampaignResult, error)
	// FindCampaigns lists the campaigns, newest first, without results.
	FindCampaigns(ctx context.Context) ([]*Campaign, error)
	// CampaignReport gives every campaign's result and the sources of the
	// customers added in [from, to).
	CampaignReport(ctx context.Context, from, to time.Time) (*CampaignReport, error)
	// Attribute records the campaign a customer in scope came through.
	Attribute(ctx context.Context, customerID, campaignID int64) error
	// CampaignOf returns the campaign a customer is attributed to, or nil.
	CampaignOf(ctx context.Context, customerID int64) (*Campaign, error)
}
