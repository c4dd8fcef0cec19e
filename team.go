package kewei

import (
	"context"
	"time"
)

// Team is a group of users with a manager. Teams nest: a manager sees the
// customers of their team and of every team below it.
type Team struct {
	ID          int64     `json:"id" kewei:"readonly"`
	Name        string    `json:"name"`
	ParentID    int64     `json:"parent_id" doc:"The team above this one; 0 for a top team."`
	ManagerID   int64     `json:"manager_id" doc:"The user who manages the team; 0 for none."`
	ManagerName string    `json:"manager_name" kewei:"readonly"`
	CreatedAt   time.Time `json:"created_at" kewei:"readonly"`
	UpdatedAt   time.Time `json:"updated_at" kewei:"readonly"`
	Version     int       `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (t *Team) Validate() error {
	var p Problems
	p.checkText("name", &t.Name, true, 50)
	if t.ParentID < 0 {
		p.Add("parent_id", ReasonOutOfRange, "must be a team's id or 0")
	}
	if t.ParentID != 0 && t.ParentID == t.ID {
		p.Add("parent_id", ReasonOutOfRange, "a team cannot be its own parent")
	}
	return p.Err()
}

// TeamService keeps teams.
type TeamService interface {
	// FindTeams returns every team, ordered by name.
	FindTeams(ctx context.Context) ([]*Team, error)
	// CreateTeam adds a team (administrators only).
	CreateTeam(ctx context.Context, t *Team) error
	// UpdateTeam applies p; a team may not end up below itself.
	UpdateTeam(ctx context.Context, id int64, p Patch) (*Team, error)
	// DeleteTeam removes a team without members or sub-teams.
	DeleteTeam(ctx context.Context, id int64, version int) error
}
