package complaint

import (
	"context"
	"sort"
	"time"

	"github.com/kewei-crm/kewei"
)

// ServiceReport sums the complaints received and the surveys answered in
// [from, to) that the actor may see.
func (s *Service) ServiceReport(ctx context.Context, from, to time.Time) (*kewei.ServiceReport, error) {
	if !to.After(from) {
		var p kewei.Problems
		p.Add("to", kewei.ReasonOutOfRange, "must be after from")
		return nil, p.Err()
	}
	r := &kewei.ServiceReport{From: from, To: to, Items: []kewei.ItemScore{}, Consultants: []kewei.PersonScore{},
		Teams: []kewei.PersonScore{}, NPSByMonth: []kewei.MonthScore{}}
	all, err := s.FindComplaints(ctx, kewei.ComplaintFilter{ReceivedFrom: from, ReceivedTo: to})
	if err != nil {
		return nil, err
	}
	loc := s.calendar().Location
	cat, cause, sev, month := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	per := map[int64]int{}
	var hours float64
	within := 0
	for _, k := range all {
		if k.ReceivedAt.Before(from) || !k.ReceivedAt.Before(to) {
			continue
		}
		r.Complaints++
		cat[k.Category]++
		sev[string(k.Severity)]++
		month[k.ReceivedAt.In(loc).Format("2006-01")]++
		if k.RootCause != "" {
			cause[k.RootCause]++
		}
		per[k.CustomerID]++
		if !k.ResolvedAt.IsZero() {
			r.Resolved++
			hours += (s.calendar().Between(k.ReceivedAt, k.ResolvedAt) - k.PausedFor).Hours()
			if !k.ResolutionLate {
				within++
			}
		}
	}
	for _, n := range per {
		if n > 1 {
			r.RepeatCustomers++
		}
	}
	if r.Resolved > 0 {
		r.WithinSLA, r.MeanHoursToResolve = float64(within)/float64(r.Resolved), hours/float64(r.Resolved)
	}
	r.ByCategory, r.ByRootCause, r.BySeverity, r.ByMonth = counts(cat, false), counts(cause, false), counts(sev, false), counts(month, true)
	o, err := s.ComplaintOutcomes(ctx, from, to)
	if err != nil {
		return nil, err
	}
	r.Complainants = outcome(o.Complainants, o.ComplainantsBought, o.ComplainantsLost)
	r.Others = outcome(o.Others, o.OthersBought, o.OthersLost)
	if s.Surveys != nil {
		if err := s.satisfaction(ctx, r, loc); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func outcome(n, bought, lost int) kewei.Outcome {
	o := kewei.Outcome{Customers: n}
	if n > 0 {
		o.BoughtAgain, o.Lost = float64(bought)/float64(n), float64(lost)/float64(n)
	}
	return o
}

// counts orders a tally most first (or, by month, by label).
func counts(m map[string]int, byLabel bool) []kewei.CountLine {
	out := []kewei.CountLine{}
	for k, v := range m {
		out = append(out, kewei.CountLine{Label: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if byLabel || out[i].Count == out[j].Count {
			return out[i].Label < out[j].Label
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// nps is promoters minus detractors, in percent.
func nps(scores []int) float64 {
	if len(scores) == 0 {
		return 0
	}
	p, d := 0, 0
	for _, v := range scores {
		switch {
		case v >= 9:
			p++
		case v <= 6:
			d++
		}
	}
	return 100 * float64(p-d) / float64(len(scores))
}

// satisfaction adds the surveys answered in the period: by item, by
// consultant (the customer's owner when they answered), by team, NPS by
// month.
func (s *Service) satisfaction(ctx context.Context, r *kewei.ServiceReport, loc *time.Location) error {
	resp, err := s.Surveys.FindResponses(ctx, 0)
	if err != nil {
		return err
	}
	surveys, err := s.Surveys.FindSurveys(ctx)
	if err != nil {
		return err
	}
	texts := map[string]string{}
	for _, sv := range surveys {
		for _, it := range sv.Items {
			texts[it.Key] = it.Text
		}
	}
	names, teamOf, teamNames := map[int64]string{}, map[int64]int64{}, map[int64]string{}
	if s.Users != nil {
		if us, err := s.Users.FindUsers(ctx, kewei.UserFilter{IncludeDisabled: true}); err == nil {
			for _, u := range us {
				names[u.ID], teamOf[u.ID] = u.DisplayName, u.TeamID
			}
		}
	}
	if s.Teams != nil {
		if ts, err := s.Teams.FindTeams(ctx); err == nil {
			for _, t := range ts {
				teamNames[t.ID] = t.Name
			}
		}
	}
	type acc struct {
		n         int
		csat, gap float64
		exp, perf float64
		npsScores []int
	}
	items, people, teams, months := map[string]*acc{}, map[int64]*acc{}, map[int64]*acc{}, map[string]*acc{}
	get := func(m map[int64]*acc, k int64) *acc {
		if m[k] == nil {
			m[k] = &acc{}
		}
		return m[k]
	}
	var all []int
	csat := 0.0
	for _, v := range resp {
		if v.At.Before(r.From) || !v.At.Before(r.To) {
			continue
		}
		r.Responses++
		csat += float64(v.CSAT)
		all = append(all, v.NPS)
		for _, a := range v.Answers {
			it := items[a.Key]
			if it == nil {
				it = &acc{}
				items[a.Key] = it
			}
			it.n++
			it.exp += float64(a.Expectation)
			it.perf += float64(a.Performance)
		}
		for _, g := range []*acc{get(people, v.OwnerID), get(teams, teamOf[v.OwnerID])} {
			g.n++
			g.csat += float64(v.CSAT)
			g.gap += v.Gap
			g.npsScores = append(g.npsScores, v.NPS)
		}
		m := v.At.In(loc).Format("2006-01")
		if months[m] == nil {
			months[m] = &acc{}
		}
		months[m].npsScores = append(months[m].npsScores, v.NPS)
	}
	if r.Responses > 0 {
		r.CSAT, r.NPS = csat/float64(r.Responses), nps(all)
	}
	for k, it := range items {
		r.Items = append(r.Items, kewei.ItemScore{Key: k, Text: texts[k], Expectation: it.exp / float64(it.n), Performance: it.perf / float64(it.n),
			Gap: (it.perf - it.exp) / float64(it.n)})
	}
	sort.Slice(r.Items, func(i, j int) bool { return r.Items[i].Gap < r.Items[j].Gap })
	score := func(m map[int64]*acc, name func(int64) string) []kewei.PersonScore {
		out := []kewei.PersonScore{}
		for id, g := range m {
			out = append(out, kewei.PersonScore{ID: id, Name: name(id), Responses: g.n, CSAT: g.csat / float64(g.n), Gap: g.gap / float64(g.n), NPS: nps(g.npsScores)})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].CSAT != out[j].CSAT {
				return out[i].CSAT < out[j].CSAT
			}
			return out[i].ID < out[j].ID
		})
		return out
	}
	r.Consultants = score(people, func(id int64) string { return names[id] })
	r.Teams = score(teams, func(id int64) string { return teamNames[id] })
	for m, g := range months {
		r.NPSByMonth = append(r.NPSByMonth, kewei.MonthScore{Month: m, Score: nps(g.npsScores), Count: len(g.npsScores)})
	}
	sort.Slice(r.NPSByMonth, func(i, j int) bool { return r.NPSByMonth[i].Month < r.NPSByMonth[j].Month })
	return nil
}
