package ui

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/chart"
)

type customerPage struct {
	Customer      *kewei.Customer
	Fields        kewei.CustomFieldSet
	Contacts      []*kewei.Contact
	Holdings      []*kewei.Holding
	Transactions  []*kewei.Transaction
	Timeline      *kewei.List[*kewei.TimelineEntry]
	Chart         any
	Kinds         []string
	Revealed      *revealed
	Duplicates    []*kewei.Customer // others that look like this one
	Value         *kewei.CustomerValue
	Overrides     []*kewei.TierOverride
	TierHistory   []*kewei.TierChange
	CanOverride   bool
	Tiers         []kewei.Tier
	SurveyLink    string // a survey link just made, shown once
	Advocacy      *kewei.Advocacy
	Rewards       []string
	Opportunities []*kewei.Opportunity
	Contracts     []*kewei.Contract
	Stages        []kewei.PipelineStage
	ContractMoves map[kewei.ContractStatus][]kewei.ContractStatus
	Campaign      *kewei.Campaign // the campaign the customer came through
	Campaigns     []*kewei.Campaign
	Churn         *kewei.ChurnRisk // nil before the customer is scored
	Next          []kewei.Recommendation
	CanRetain     bool // may ask for retention tasks
}

type revealed struct {
	Field string
	Value string
}

func (s *Server) customerView(w http.ResponseWriter, r *http.Request) {
	p, err := s.customerPage(r, "customer.title")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "customer", p)
}

// customerPage gathers what the detail page shows: the customer as the
// viewer may see it, their records, the timeline and yearly spend.
func (s *Server) customerPage(r *http.Request, title string) (*page, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, title, "customers")
	d := &customerPage{Kinds: enumOf(kewei.InteractionKinds), ContractMoves: kewei.ContractMoves}
	if d.Customer, err = s.svc.Customers.FindCustomerByID(ctx, id); err != nil {
		return nil, err
	}
	if d.Fields, err = s.svc.CustomFields.FindCustomFields(ctx); err != nil {
		return nil, err
	}
	first := kewei.RecordFilter{CustomerID: id, Limit: 50}
	contacts, err := s.svc.Records.Contacts.List(ctx, first)
	if err != nil {
		return nil, err
	}
	holdings, err := s.svc.Records.Holdings.List(ctx, first)
	if err != nil {
		return nil, err
	}
	txs, err := s.svc.Records.Transactions.List(ctx, kewei.RecordFilter{CustomerID: id, Limit: kewei.MaxLimit})
	if err != nil {
		return nil, err
	}
	d.Timeline, err = s.svc.Timeline.FindTimeline(ctx, kewei.TimelineFilter{CustomerID: id, Cursor: r.URL.Query().Get("tl")})
	if err != nil {
		return nil, err
	}
	if p.CanData {
		dups, err := s.svc.Duplicates.FindDuplicates(ctx, kewei.DuplicateFilter{CustomerID: id, Limit: 5})
		if err != nil {
			return nil, err
		}
		for _, pair := range dups.Items {
			other := pair.A
			if other.ID == id {
				other = pair.B
			}
			d.Duplicates = append(d.Duplicates, other)
		}
	}
	if err := s.customerValue(ctx, p, d, id); err != nil {
		return nil, err
	}
	if d.Advocacy, err = s.svc.Referrals.Advocacy(ctx, id); err != nil {
		return nil, err
	}
	if d.Rewards, err = s.svc.Referrals.RewardOptions(ctx); err != nil {
		return nil, err
	}
	if d.Opportunities, err = s.svc.Opportunities.FindOpportunities(ctx, kewei.OpportunityFilter{Customer: id, Limit: 50}); err != nil {
		return nil, err
	}
	if d.Contracts, err = s.svc.Opportunities.FindContracts(ctx, id); err != nil {
		return nil, err
	}
	if d.Stages, err = s.svc.Opportunities.Stages(ctx); err != nil {
		return nil, err
	}
	if d.Campaign, err = s.svc.Campaigns.CampaignOf(ctx, id); err != nil {
		return nil, err
	}
	if d.Campaigns, err = s.svc.Campaigns.FindCampaigns(ctx); err != nil {
		return nil, err
	}
	if d.Churn, err = s.svc.Churn.CustomerChurn(ctx, id); err != nil {
		return nil, err
	}
	d.CanRetain = p.IsAdmin || p.Actor.Role == kewei.RoleManager
	if d.Next, err = s.svc.Recommendations.Recommend(ctx, id, 5, false); err != nil {
		return nil, err
	}
	d.Contacts, d.Holdings = contacts.Items, holdings.Items
	d.Transactions = txs.Items[:min(len(txs.Items), 20)]
	d.Chart = spendChart(p, txs.Items)
	p.Data = d
	p.Title = "customer.title"
	return p, nil
}

// spendChart shows the customer's revenue per year.
func spendChart(p *page, txs []*kewei.Transaction) any {
	if len(txs) == 0 {
		return nil
	}
	byYear := map[int]kewei.Money{}
	for _, t := range txs {
		byYear[t.OccurredAt.In(p.Loc).Year()] += t.Amount
	}
	var years []int
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	var bars []chart.Bar
	for _, y := range years {
		bars = append(bars, chart.Bar{Label: strconv.Itoa(y), Value: byYear[y].Float()})
	}
	return chart.Bars(p.L.T("customer.spend_by_year"), bars, chart.Options{Format: func(v float64) string {
		return p.L.Money(kewei.Money(v * 100))
	}})
}

// customerReveal shows one masked field; the service audits it.
func (s *Server) customerReveal(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	field := r.PostForm.Get("field")
	v, err := s.svc.Customers.RevealCustomerField(r.Context(), id, field)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.customerPage(r, "customer.title")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	shown, _ := json.Marshal(v)
	p.Data.(*customerPage).Revealed = &revealed{Field: p.L.T("field." + field), Value: string(shown)}
	s.render(w, r, http.StatusOK, "customer", p)
}

// customerLog records a call, visit or message from the detail page.
func (s *Server) customerLog(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := &kewei.Interaction{Kind: kewei.InteractionKind(r.PostForm.Get("kind")), Summary: r.PostForm.Get("summary"),
		Outcome: r.PostForm.Get("outcome"), NextStep: r.PostForm.Get("next_step")}
	err = s.svc.Records.Interactions.Create(r.Context(), id, in)
	if err == nil {
		http.Redirect(w, r, "/customers/"+itoa(id)+"?done=logged", http.StatusSeeOther)
		return
	}
	if kewei.ErrorCode(err) != kewei.EINVALID {
		s.fail(w, r, err)
		return
	}
	p, perr := s.customerPage(r, "customer.title")
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p.Form = r.PostForm
	formErrors(p, err)
	if msg, ok := p.Errors["kind"]; ok {
		p.Errors[""] = msg
	}
	s.render(w, r, http.StatusBadRequest, "customer", p)
}
