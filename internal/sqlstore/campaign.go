package sqlstore

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// CampaignService keeps campaigns and the customers attributed to them.
type CampaignService struct{ db *DB }

// NewCampaignService returns the campaigns of db.
func NewCampaignService(db *DB) *CampaignService { return &CampaignService{db: db} }

var _ kewei.CampaignService = (*CampaignService)(nil)

const campaignSelect = `SELECT id, name, channel, cost, starts_on, ends_on, note, created_at, version FROM campaigns`

func scanCampaign(s scanner) (*kewei.Campaign, error) {
	c := &kewei.Campaign{}
	err := s.Scan(&c.ID, &c.Name, &c.Channel, &c.Cost, &c.StartsOn, &c.EndsOn, &c.Note, instant{&c.CreatedAt}, &c.Version)
	return c, err
}

func findCampaign(ctx context.Context, tx *Tx, id int64) (*kewei.Campaign, error) {
	return queryOne(ctx, tx, scanCampaign, kewei.Errorf(kewei.ENOTFOUND, "campaign %d not found", id), campaignSelect+` WHERE id = ?`, id)
}

// CreateCampaign adds a campaign (administrators).
func (s *CampaignService) CreateCampaign(ctx context.Context, c *kewei.Campaign) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		c.ID, c.CreatedAt, c.Version = tx.db.ids.next(), tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO campaigns (id, name, channel, cost, starts_on, ends_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Name, c.Channel, c.Cost, c.StartsOn, c.EndsOn, c.Note, ms(c.CreatedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "campaign", c.ID, 0, nil, c)
	})
}

// UpdateCampaign applies a patch (administrators).
func (s *CampaignService) UpdateCampaign(ctx context.Context, id int64, p kewei.Patch) (*kewei.Campaign, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var c *kewei.Campaign
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if c, err = findCampaign(ctx, tx, id); err != nil {
			return err
		}
		if c.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "campaign %d was changed by someone else; reload and try again", id)
		}
		before := *c
		if err := p.Apply(c); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		c.Version++
		if _, err := tx.exec(ctx, `UPDATE campaigns SET name = ?, channel = ?, cost = ?, starts_on = ?, ends_on = ?, note = ?, version = ? WHERE id = ?`,
			c.Name, c.Channel, c.Cost, c.StartsOn, c.EndsOn, c.Note, c.Version, c.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "campaign", c.ID, 0, &before, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// campaignResults counts, per campaign, the leads the actor sees, those who
// bought since they were attributed and what they spent, and the
// opportunities naming the campaign.
func campaignResults(ctx context.Context, tx *Tx, a *kewei.Actor, campaigns []*kewei.Campaign) ([]*kewei.CampaignResult, error) {
	out := make([]*kewei.CampaignResult, 0, len(campaigns))
	by := map[int64]*kewei.CampaignResult{}
	for _, c := range campaigns {
		r := &kewei.CampaignResult{Campaign: c}
		out = append(out, r)
		by[c.ID] = r
	}
	w, join := where{}, ""
	if cond, args := scopeCond(a, "c"); cond != "" {
		w, join = w.and(cond, args...), ` JOIN customers c ON c.id = l.customer_id`
	}
	// Each lead's purchases since the attribution, in one pass over the
	// transactions index per lead; the customers are joined only for a scope.
	if err := eachRow(ctx, tx, `SELECT x.campaign_id, COUNT(*), COALESCE(SUM(CASE WHEN x.n > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(x.amount), 0)
		FROM (SELECT l.campaign_id AS campaign_id, l.customer_id AS customer_id, COUNT(t.id) AS n, COALESCE(SUM(t.amount), 0) AS amount
			FROM campaign_leads l`+join+`
			LEFT JOIN transactions t ON t.customer_id = l.customer_id AND t.occurred_at >= l.at`+w.sql()+`
			GROUP BY l.campaign_id, l.customer_id) x GROUP BY x.campaign_id`,
		w.args, func(s scanner) error {
			var id int64
			var n, b int
			var rev kewei.Money
			if err := s.Scan(&id, &n, &b, &rev); err != nil {
				return err
			}
			if r := by[id]; r != nil {
				r.Leads, r.LeadsBought, r.Revenue = n, b, rev
			}
			return nil
		}); err != nil {
		return nil, err
	}
	ow := w.and(`o.campaign_id <> 0`)
	if join != "" {
		join = ` JOIN customers c ON c.id = o.customer_id`
	}
	if err := eachRow(ctx, tx, `SELECT o.campaign_id, COUNT(*), COALESCE(SUM(CASE WHEN st.kind = 'won' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN st.kind = 'won' THEN o.amount ELSE 0 END), 0)
		FROM opportunities o`+join+` JOIN pipeline_stages st ON st.id = o.stage_id`+ow.sql()+
		` GROUP BY o.campaign_id`, ow.args, func(s scanner) error {
		var id int64
		var n, won int
		var amount kewei.Money
		if err := s.Scan(&id, &n, &won, &amount); err != nil {
			return err
		}
		if r := by[id]; r != nil {
			r.Opportunities, r.Won, r.WonAmount = n, won, amount
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, r := range out {
		if r.Leads > 0 {
			r.Conversion = float64(r.LeadsBought) / float64(r.Leads)
			r.CostPerLead = r.Campaign.Cost / kewei.Money(r.Leads)
		}
		if r.Campaign.Cost > 0 {
			r.ROI = float64(r.Revenue-r.Campaign.Cost) / float64(r.Campaign.Cost)
		}
	}
	return out, nil
}

// FindCampaign reads a campaign with its result over the actor's customers.
func (s *CampaignService) FindCampaign(ctx context.Context, id int64) (*kewei.CampaignResult, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var r *kewei.CampaignResult
	err = s.db.readTx(ctx, func(tx *Tx) error {
		c, err := findCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		rs, err := campaignResults(ctx, tx, a, []*kewei.Campaign{c})
		if err == nil {
			r = rs[0]
		}
		return err
	})
	return r, err
}

// FindCampaigns lists the campaigns, newest first.
func (s *CampaignService) FindCampaigns(ctx context.Context) ([]*kewei.Campaign, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []*kewei.Campaign
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = listCampaigns(ctx, tx)
		return err
	})
	return out, err
}

func listCampaigns(ctx context.Context, tx *Tx) ([]*kewei.Campaign, error) {
	out := []*kewei.Campaign{}
	err := eachRow(ctx, tx, campaignSelect+` ORDER BY created_at DESC, id DESC`, nil, func(r scanner) error {
		c, err := scanCampaign(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// CampaignReport gives every campaign's result, newest first, and the
// sources of the customers added in [from, to), within the actor's scope.
func (s *CampaignService) CampaignReport(ctx context.Context, from, to time.Time) (*kewei.CampaignReport, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !to.After(from) {
		var p kewei.Problems
		p.Add("to", kewei.ReasonOutOfRange, "must be after from")
		return nil, p.Err()
	}
	rep := &kewei.CampaignReport{From: from, To: to, Sources: []kewei.SourceLine{}}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		campaigns, err := listCampaigns(ctx, tx)
		if err != nil {
			return err
		}
		if rep.Campaigns, err = campaignResults(ctx, tx, a, campaigns); err != nil {
			return err
		}
		w := where{}.and(`c.created_at >= ? AND c.created_at < ?`, ms(from), ms(to))
		if cond, args := scopeCond(a, "c"); cond != "" {
			w = w.and(cond, args...)
		}
		return eachRow(ctx, tx, `SELECT x.source, COUNT(*), COALESCE(SUM(CASE WHEN x.n > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(x.amount), 0)
			FROM (SELECT c.id AS id, c.source AS source, COUNT(t.id) AS n, COALESCE(SUM(t.amount), 0) AS amount
				FROM customers c LEFT JOIN transactions t ON t.customer_id = c.id`+w.sql()+` GROUP BY c.id, c.source) x
			GROUP BY x.source ORDER BY COUNT(*) DESC, x.source`, w.args, func(r scanner) error {
			var l kewei.SourceLine
			err := r.Scan(&l.Source, &l.Customers, &l.Bought, &l.Revenue)
			rep.Sources = append(rep.Sources, l)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// Attribute records (or, with campaign 0, removes) the campaign a customer
// in scope came through.
func (s *CampaignService) Attribute(ctx context.Context, customerID, campaignID int64) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var old int64
		if _, err := tx.get(ctx, `SELECT campaign_id FROM campaign_leads WHERE customer_id = ?`, []any{customerID}, &old); err != nil {
			return err
		}
		if campaignID == 0 {
			if _, err := tx.exec(ctx, `DELETE FROM campaign_leads WHERE customer_id = ?`, customerID); err != nil {
				return err
			}
		} else {
			if _, err := findCampaign(ctx, tx, campaignID); kewei.ErrorCode(err) == kewei.ENOTFOUND {
				var p kewei.Problems
				p.Add("campaign_id", kewei.ReasonUnknownChoice, "there is no campaign %d", campaignID)
				return p.Err()
			} else if err != nil {
				return err
			}
			if err := attributeLead(ctx, tx, a, customerID, campaignID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionUpdate, "campaign_lead", customerID, customerID,
			map[string]int64{"campaign_id": old}, map[string]int64{"campaign_id": campaignID})
	})
	return s.db.denied(ctx, err)
}

func attributeLead(ctx context.Context, tx *Tx, a *kewei.Actor, customerID, campaignID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO campaign_leads (customer_id, campaign_id, at, actor_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET campaign_id = excluded.campaign_id, at = excluded.at, actor_id = excluded.actor_id`,
		customerID, campaignID, ms(tx.now), a.UserID)
	return err
}

// CampaignOf returns the campaign a customer in scope is attributed to.
func (s *CampaignService) CampaignOf(ctx context.Context, customerID int64) (*kewei.Campaign, error) {
	var c *kewei.Campaign
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var id int64
		found, err := tx.get(ctx, `SELECT campaign_id FROM campaign_leads WHERE customer_id = ?`, []any{customerID}, &id)
		if err != nil || !found {
			return err
		}
		c, err = findCampaign(ctx, tx, id)
		return err
	})
	return c, s.db.denied(ctx, err)
}
