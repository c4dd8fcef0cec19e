// Package scorecard makes the staff scorecard: per person and per team,
// tasks done on time, visits, complaints closed within their SLA,
// satisfaction, referrals, and customers gained, moved and lost.
package scorecard

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
)

// Service makes scorecards from the store's counts and the complaints'
// SLA clocks.
type Service struct {
	Counter    kewei.ScoreCounter
	Complaints interface {
		FindComplaints(ctx context.Context, f kewei.ComplaintFilter) ([]*kewei.Complaint, error)
	}
	Users    kewei.UserService
	Teams    kewei.TeamService
	Location *time.Location // where months begin; UTC when nil
}

var _ kewei.ScorecardService = (*Service)(nil)

// Period returns q's period: the current month in loc when it names none.
func Period(q kewei.ScorecardQuery, now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	from, to := q.From, q.To
	if from.IsZero() {
		n := now.In(loc)
		from = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	}
	if to.IsZero() {
		f := from.In(loc)
		to = time.Date(f.Year(), f.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	if !to.After(from) {
		var p kewei.Problems
		p.Add("to", kewei.ReasonOutOfRange, "must be after from")
		return from, to, p.Err()
	}
	return from, to, nil
}

// Scorecard gathers the lines the caller may see: administrators and
// auditors everyone's, managers the people of the teams they manage and
// the teams below, others their own.
func (s *Service) Scorecard(ctx context.Context, q kewei.ScorecardQuery) (*kewei.Scorecard, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	from, to, err := Period(q, time.Now(), s.Location)
	if err != nil {
		return nil, err
	}
	users, err := s.Users.FindUsers(ctx, kewei.UserFilter{})
	if err != nil {
		return nil, err
	}
	teams, err := s.Teams.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	teamName, below := map[int64]string{}, map[int64][]int64{}
	for _, t := range teams {
		teamName[t.ID] = t.Name
		below[t.ParentID] = append(below[t.ParentID], t.ID)
	}
	subtree := func(roots ...int64) map[int64]bool {
		in := map[int64]bool{}
		for len(roots) > 0 {
			id := roots[len(roots)-1]
			roots = roots[:len(roots)-1]
			if !in[id] {
				in[id] = true
				roots = append(roots, below[id]...)
			}
		}
		return in
	}
	var managed []int64
	for _, t := range teams {
		if t.ManagerID == a.UserID {
			managed = append(managed, t.ID)
		}
	}
	mine, wanted := subtree(managed...), subtree(q.Team)
	if q.Team != 0 && teamName[q.Team] == "" {
		var p kewei.Problems
		p.Add("team", kewei.ReasonUnknownChoice, "there is no team %d", q.Team)
		return nil, p.Err()
	}
	seesAll := a.IsAdmin() || a.Role == kewei.RoleAuditor
	lines := map[int64]*kewei.ScoreLine{}
	for _, u := range users {
		if u.Role == kewei.RoleAuditor || u.Role == kewei.RoleAdministrator {
			continue
		}
		visible := seesAll || u.ID == a.UserID || (a.Role == kewei.RoleManager && u.TeamID != 0 && mine[u.TeamID])
		if !visible || (q.Team != 0 && !wanted[u.TeamID]) {
			continue
		}
		lines[u.ID] = &kewei.ScoreLine{UserID: u.ID, Name: u.DisplayName, TeamID: u.TeamID, TeamName: teamName[u.TeamID]}
	}
	counts, err := s.Counter.ScoreCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for id, c := range counts {
		if l := lines[id]; l != nil {
			c.UserID, c.Name, c.TeamID, c.TeamName = l.UserID, l.Name, l.TeamID, l.TeamName
			lines[id] = c
		}
	}
	closed, err := s.Complaints.FindComplaints(ctx, kewei.ComplaintFilter{ClosedFrom: from, ClosedTo: to})
	if err != nil {
		return nil, err
	}
	for _, k := range closed {
		if l := lines[k.AssigneeID]; l != nil {
			l.ComplaintsClosed++
			if !k.ResolutionLate {
				l.ComplaintsWithinSLA++
			}
		}
	}
	sc := &kewei.Scorecard{From: from, To: to, People: []*kewei.ScoreLine{}, Teams: []*kewei.ScoreLine{}}
	byTeam := map[int64]*kewei.ScoreLine{}
	for _, l := range lines {
		rates(l)
		sc.People = append(sc.People, l)
		t := byTeam[l.TeamID]
		if t == nil {
			t = &kewei.ScoreLine{TeamID: l.TeamID, TeamName: l.TeamName, Name: l.TeamName}
			byTeam[l.TeamID] = t
			sc.Teams = append(sc.Teams, t)
		}
		add(t, l)
	}
	for _, t := range sc.Teams {
		rates(t)
	}
	order := func(a, b *kewei.ScoreLine) int {
		return cmp.Or(cmp.Compare(a.TeamName, b.TeamName), cmp.Compare(a.Name, b.Name))
	}
	slices.SortFunc(sc.People, order)
	slices.SortFunc(sc.Teams, order)
	return sc, nil
}

// add sums a person's counts into their team's line; the team's CSAT is
// the mean over all its answers.
func add(t, l *kewei.ScoreLine) {
	answers := t.CSAT*float64(t.Responses) + l.CSAT*float64(l.Responses)
	t.TasksDue += l.TasksDue
	t.TasksOnTime += l.TasksOnTime
	t.VisitsMade += l.VisitsMade
	t.VisitsApproved += l.VisitsApproved
	t.ComplaintsClosed += l.ComplaintsClosed
	t.ComplaintsWithinSLA += l.ComplaintsWithinSLA
	t.Responses += l.Responses
	t.Referrals += l.Referrals
	t.Gained += l.Gained
	t.Upgraded += l.Upgraded
	t.Downgraded += l.Downgraded
	t.Lost += l.Lost
	if t.Responses > 0 {
		t.CSAT = answers / float64(t.Responses)
	}
}

func rates(l *kewei.ScoreLine) {
	if l.TasksDue > 0 {
		l.OnTimeRate = float64(l.TasksOnTime) / float64(l.TasksDue)
	}
	if l.ComplaintsClosed > 0 {
		l.WithinSLARate = float64(l.ComplaintsWithinSLA) / float64(l.ComplaintsClosed)
	}
}

// CSVHeader names the columns of WriteCSV.
var CSVHeader = []string{"kind", "team", "name", "tasks_due", "tasks_on_time", "on_time_rate", "visits_made", "visits_approved",
	"complaints_closed", "complaints_within_sla", "within_sla_rate", "responses", "csat", "referrals", "customers_gained",
	"customers_upgraded", "customers_downgraded", "customers_lost"}

// WriteCSV writes the scorecard, people then teams, UTF-8 with a byte-order
// mark so that spreadsheet programs read the Chinese names.
func WriteCSV(w io.Writer, sc *kewei.Scorecard) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	row := func(kind string, l *kewei.ScoreLine) {
		f := func(v float64) string { return fmt.Sprintf("%.3f", v) }
		d := func(n int) string { return fmt.Sprint(n) }
		cw.Write([]string{kind, kewei.SafeCell(l.TeamName), kewei.SafeCell(l.Name), d(l.TasksDue), d(l.TasksOnTime), f(l.OnTimeRate), d(l.VisitsMade), d(l.VisitsApproved),
			d(l.ComplaintsClosed), d(l.ComplaintsWithinSLA), f(l.WithinSLARate), d(l.Responses), f(l.CSAT), d(l.Referrals), d(l.Gained),
			d(l.Upgraded), d(l.Downgraded), d(l.Lost)})
	}
	for _, l := range sc.People {
		row("person", l)
	}
	for _, l := range sc.Teams {
		row("team", l)
	}
	cw.Flush()
	return cw.Error()
}
