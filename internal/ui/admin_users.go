package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type usersPage struct {
	Users     []*kewei.User
	Teams     []*kewei.Team
	TeamNames map[int64]string
	Roles     []string
	Managers  []*kewei.User
	Handed    *kewei.Handover // the handover just done
}

// adminData reads what the user and team pages show; only administrators
// may see them.
func (s *Server) adminData(r *http.Request) (*usersPage, error) {
	ctx := r.Context()
	if !kewei.ActorFrom(ctx).IsAdmin() {
		return nil, kewei.Errorf(kewei.EFORBIDDEN, "administrators only")
	}
	d := &usersPage{TeamNames: map[int64]string{}, Roles: enumOf(kewei.Roles)}
	var err error
	if d.Users, err = s.svc.Users.FindUsers(ctx, kewei.UserFilter{IncludeDisabled: true}); err != nil {
		return nil, err
	}
	if d.Teams, err = s.svc.Teams.FindTeams(ctx); err != nil {
		return nil, err
	}
	for _, t := range d.Teams {
		d.TeamNames[t.ID] = t.Name
	}
	for _, u := range d.Users {
		if u.Role == kewei.RoleManager || u.Role == kewei.RoleAdministrator {
			d.Managers = append(d.Managers, u)
		}
	}
	return d, nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, "users", "admin.users", nil)
}

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, "teams", "admin.teams", nil)
}

// adminPage renders a user or team page, with the errors of a refused form.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, name, title string, formErr error) {
	d, err := s.adminData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, title, "admin")
	p.Data = d
	status := http.StatusOK
	if formErr != nil {
		for k, v := range r.PostForm {
			if k != "password" {
				p.Form[k] = v
			}
		}
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, name, p)
}

func formID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PostForm.Get(name), 10, 64)
	return id
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	u := &kewei.User{Name: r.PostForm.Get("name"), DisplayName: r.PostForm.Get("display_name"),
		Role: kewei.Role(r.PostForm.Get("role")), TeamID: formID(r, "team_id"), MustChangePassword: true}
	if err := s.svc.Users.CreateUser(r.Context(), u, r.PostForm.Get("password")); err != nil {
		s.refused(w, r, "users", "admin.users", err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=created", http.StatusSeeOther)
}

func (s *Server) userSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p := kewei.Patch{Version: max(version, 1)}
	p.Set("team_id", formID(r, "team_id"))
	if v := r.PostForm.Get("disabled"); v != "" {
		p.Set("disabled", v == "true")
	}
	if _, err := s.svc.Users.UpdateUser(r.Context(), id, p); err != nil {
		s.refused(w, r, "users", "admin.users", err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=saved", http.StatusSeeOther)
}

func (s *Server) teamCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	t := &kewei.Team{Name: r.PostForm.Get("name"), ParentID: formID(r, "parent_id"), ManagerID: formID(r, "manager_id")}
	if err := s.svc.Teams.CreateTeam(r.Context(), t); err != nil {
		s.refused(w, r, "teams", "admin.teams", err)
		return
	}
	http.Redirect(w, r, "/admin/teams?done=created", http.StatusSeeOther)
}

// refused shows an admin page again after a refused form, or the error
// page for anything but a validation error.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, name, title string, err error) {
	switch kewei.ErrorCode(err) {
	case kewei.EINVALID, kewei.ECONFLICT:
		s.adminPage(w, r, name, title, err)
	default:
		s.fail(w, r, err)
	}
}

// handover moves a leaving user's customers and open tasks to another user
// and shows the users page with what moved.
func (s *Server) handover(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	from, _ := strconv.ParseInt(r.PostForm.Get("from_user_id"), 10, 64)
	to, _ := strconv.ParseInt(r.PostForm.Get("to_user_id"), 10, 64)
	h, err := s.svc.Handovers.HandOver(r.Context(), kewei.HandoverRequest{FromUserID: from, ToUserID: to})
	if err != nil && kewei.ErrorCode(err) != kewei.EINVALID {
		s.fail(w, r, err)
		return
	}
	d, derr := s.adminData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	d.Handed = h
	p := s.newPage(r, "admin.users", "admin")
	p.Data = d
	status := http.StatusOK
	if err != nil {
		formErrors(p, err)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "users", p)
}
