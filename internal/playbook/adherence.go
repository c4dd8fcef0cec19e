package playbook

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/kewei-crm/kewei"
)

// FollowUp sums the store's task counts by person, team and step, and
// reads the coverage of the last days days.
func (s *Service) FollowUp(ctx context.Context, from, to time.Time, days int) (*kewei.Adherence, error) {
	if !to.After(from) {
		var p kewei.Problems
		p.Add("to", kewei.ReasonOutOfRange, "must be after from")
		return nil, p.Err()
	}
	if days <= 0 {
		days = 30
	}
	rows, err := s.TaskAdherence(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := &kewei.Adherence{From: from, To: to, Days: days}
	people, teams, steps := map[string]*kewei.AdherenceLine{}, map[string]*kewei.AdherenceLine{}, map[string]*kewei.AdherenceLine{}
	add := func(m map[string]*kewei.AdherenceLine, key, name string, r kewei.AdherenceRow) {
		l := m[key]
		if l == nil {
			l = &kewei.AdherenceLine{Key: key, Name: name}
			m[key] = l
		}
		l.Due += r.Due
		l.Done += r.Done
		l.OnTime += r.OnTime
		l.Skipped += r.Skipped
		l.Overdue += r.Overdue
	}
	for _, r := range rows {
		add(people, strconv.FormatInt(r.AssigneeID, 10), r.AssigneeName, r)
		add(teams, strconv.FormatInt(r.TeamID, 10), r.TeamName, r)
		add(steps, strconv.FormatInt(r.PlaybookID, 10)+":"+r.StepKey, r.PlaybookName+" · "+r.StepKey, r)
	}
	out.People, out.Teams, out.Steps = lines(people), lines(teams), lines(steps)
	out.Coverage, err = s.Coverage(ctx, to.AddDate(0, 0, -days))
	return out, err
}

// lines orders the groups worst first, so whoever needs help leads.
func lines(m map[string]*kewei.AdherenceLine) []kewei.AdherenceLine {
	out := []kewei.AdherenceLine{}
	for _, l := range m {
		if l.Due > 0 {
			l.Share = float64(l.OnTime) / float64(l.Due)
		}
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Share != out[j].Share {
			return out[i].Share < out[j].Share
		}
		return out[i].Key < out[j].Key
	})
	return out
}
