package api

import (
	"net/http"

	"github.com/kewei-crm/kewei"
)

// Routes lists every route of the API in one place, with who may call it.
func (s *Server) Routes() []Route {
	created := http.StatusCreated
	const (
		public, user, admin, customer, list, audit = AccessPublic, AccessUser, AccessAdmin, AccessCustomer, AccessList, AccessAudit
	)
	routes := []Route{
		{Method: "GET", Path: "/healthz", Tag: "system", Summary: "The process is up", Access: public, Response: Health{}, Serve: s.healthz},
		{Method: "GET", Path: "/readyz", Tag: "system", Summary: "The database answers", Access: public, Response: Health{}, Serve: s.readyz},

		{Method: "POST", Path: "/api/v1/auth/signin", Tag: "auth", Summary: "Sign in with name, password and, when turned on, an authenticator code",
			Access: public, Body: SignInBody{}, Response: SignInResult{}, Serve: s.signIn},
		{Method: "POST", Path: "/api/v1/auth/signout", Tag: "auth", Summary: "End the current session", Access: user, Serve: s.signOut},
		{Method: "GET", Path: "/api/v1/me", Tag: "auth", Summary: "The signed-in user", Access: user, Response: kewei.User{}, Serve: s.me},
		{Method: "PATCH", Path: "/api/v1/me", Tag: "auth", Summary: "Change my display name, email, phone or language", Access: user,
			Body: kewei.Patch{}, PatchOf: kewei.User{}, Response: kewei.User{}, Serve: s.updateMe},
		{Method: "POST", Path: "/api/v1/me/password", Tag: "auth", Summary: "Change my password", Access: user, Body: PasswordChange{}, Serve: s.changePassword},
		{Method: "GET", Path: "/api/v1/me/tokens", Tag: "auth", Summary: "My API tokens", Access: user, Response: []*kewei.APIToken{}, Serve: s.myTokens},
		{Method: "POST", Path: "/api/v1/me/tokens", Tag: "auth", Summary: "Create an API token", Access: user, Body: NewToken{},
			Response: CreatedToken{}, Status: created, Serve: s.createToken},
		{Method: "DELETE", Path: "/api/v1/me/tokens/{id}", Tag: "auth", Summary: "Revoke an API token", Access: user, Serve: s.revokeToken},
		{Method: "POST", Path: "/api/v1/me/totp", Tag: "auth", Summary: "Start using an authenticator app: get a secret", Access: user,
			Response: TOTPStart{}, Serve: s.startTOTP},
		{Method: "POST", Path: "/api/v1/me/totp/enable", Tag: "auth", Summary: "Turn the authenticator on with a code from it", Access: user,
			Body: TOTPCode{}, Serve: s.enableTOTP},
		{Method: "POST", Path: "/api/v1/me/totp/disable", Tag: "auth", Summary: "Turn the authenticator off with a code from it", Access: user,
			Body: TOTPCode{}, Serve: s.disableTOTP},

		{Method: "GET", Path: "/api/v1/users", Tag: "users", Summary: "List users", Access: user, Query: UserQuery{}, Response: []*kewei.User{}, Serve: s.listUsers},
		{Method: "POST", Path: "/api/v1/users", Tag: "users", Summary: "Create a user (administrators)", Access: admin, Body: NewUser{},
			Response: kewei.User{}, Status: created, Serve: s.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", Tag: "users", Summary: "Read a user", Access: user, Response: kewei.User{}, Serve: s.getUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Tag: "users", Summary: "Change a user (administrators, or yourself)", Access: admin,
			Body: kewei.Patch{}, PatchOf: kewei.User{}, Response: kewei.User{}, Serve: s.updateUser},
		{Method: "POST", Path: "/api/v1/users/{id}/password", Tag: "users", Summary: "Reset a user's password (administrators)",
			Access: admin, Body: PasswordReset{}, Serve: s.resetPassword},

		{Method: "GET", Path: "/api/v1/teams", Tag: "teams", Summary: "List teams", Access: user, Response: []*kewei.Team{}, Serve: s.listTeams},
		{Method: "POST", Path: "/api/v1/teams", Tag: "teams", Summary: "Create a team (administrators)", Access: admin, Body: kewei.Team{},
			Response: kewei.Team{}, Status: created, Serve: s.createTeam},
		{Method: "PATCH", Path: "/api/v1/teams/{id}", Tag: "teams", Summary: "Change a team (administrators)", Access: admin,
			Body: kewei.Patch{}, PatchOf: kewei.Team{}, Response: kewei.Team{}, Serve: s.updateTeam},
		{Method: "DELETE", Path: "/api/v1/teams/{id}", Tag: "teams", Summary: "Remove an empty team (administrators)", Access: admin,
			Query: DeleteQuery{}, Serve: s.deleteTeam},
		{Method: "GET", Path: "/api/v1/scopes", Tag: "teams", Summary: "The data scope of each role on each object", Access: user,
			Response: []kewei.ScopeRule{}, Serve: s.listScopes},
		{Method: "PUT", Path: "/api/v1/scopes", Tag: "teams", Summary: "Set one role's scope on one object (administrators)", Access: admin,
			Body: kewei.ScopeRule{}, Response: kewei.ScopeRule{}, Serve: s.setScope},

		{Method: "GET", Path: "/api/v1/custom-fields", Tag: "custom fields", Summary: "List custom fields in form order", Access: user,
			Response: kewei.CustomFieldSet{}, Serve: s.listCustomFields},
		{Method: "POST", Path: "/api/v1/custom-fields", Tag: "custom fields", Summary: "Add a custom field (administrators)", Access: admin,
			Body: kewei.CustomField{}, Response: kewei.CustomField{}, Status: created, Serve: s.createCustomField},
		{Method: "PATCH", Path: "/api/v1/custom-fields/{id}", Tag: "custom fields", Summary: "Change a custom field's labels, choices or flags",
			Access: admin, Body: kewei.Patch{}, PatchOf: kewei.CustomField{}, Response: kewei.CustomField{}, Serve: s.updateCustomField},
		{Method: "DELETE", Path: "/api/v1/custom-fields/{id}", Tag: "custom fields", Summary: "Remove a custom field", Access: admin,
			Query: DeleteQuery{}, Serve: s.deleteCustomField},

		{Method: "GET", Path: "/api/v1/customers", Tag: "customers", Summary: "List and search the customers in your scope", Access: list,
			Query: CustomerQuery{}, Response: kewei.List[*kewei.Customer]{}, Serve: s.listCustomers},
		{Method: "POST", Path: "/api/v1/customers", Tag: "customers", Summary: "Create a customer", Access: list,
			Body: kewei.Customer{}, Response: kewei.Customer{}, Status: created, Serve: s.createCustomer},
		{Method: "GET", Path: "/api/v1/customers/export", Tag: "customers",
			Summary: "Every customer matching the list's filters as a CSV, XLSX or vCard file (masked as your scope requires; audited)",
			Access:  AccessData, Query: ExportQuery{}, Produces: "text/csv", Serve: s.exportCustomers},
		{Method: "GET", Path: "/api/v1/customers/{id}", Tag: "customers", Summary: "Read a customer", Access: customer, Response: kewei.Customer{}, Serve: s.getCustomer},
		{Method: "PATCH", Path: "/api/v1/customers/{id}", Tag: "customers", Summary: "Change a customer (merge patch with version)", Access: customer,
			Body: kewei.Patch{}, PatchOf: kewei.Customer{}, Response: kewei.Customer{}, Serve: s.updateCustomer},
		{Method: "DELETE", Path: "/api/v1/customers/{id}", Tag: "customers", Summary: "Delete a customer and its records", Access: customer,
			Query: DeleteQuery{}, Serve: s.deleteCustomer},
		{Method: "GET", Path: "/api/v1/customers/{id}/timeline", Tag: "customers", Summary: "A customer's history, newest first", Access: customer,
			Query: TimelineQuery{}, Response: kewei.List[*kewei.TimelineEntry]{}, Serve: s.timeline},
		{Method: "POST", Path: "/api/v1/customers/{id}/reveal", Tag: "privacy", Summary: "Show one masked field of a customer (audited)",
			Access: customer, Body: RevealBody{}, Response: Revealed{}, Serve: s.reveal},
		{Method: "GET", Path: "/api/v1/customers/{id}/consents", Tag: "privacy", Summary: "A customer's consent ledger, newest first",
			Access: customer, Response: []*kewei.Consent{}, Serve: s.listConsents},
		{Method: "POST", Path: "/api/v1/customers/{id}/consents", Tag: "privacy", Summary: "Record a consent or a withdrawal", Access: customer,
			Body: kewei.Consent{}, Response: kewei.Consent{}, Status: created, Serve: s.recordConsent},
		{Method: "GET", Path: "/api/v1/customers/{id}/export", Tag: "privacy", Summary: "Everything held about a customer, as JSON (audited)",
			Access: customer, Response: kewei.PersonExport{}, Serve: s.exportPerson},
		{Method: "POST", Path: "/api/v1/customers/{id}/erase", Tag: "privacy", Summary: "Erase a person: keep the history, remove the identity (administrators)",
			Access: admin, Body: EraseBody{}, Serve: s.erasePerson},

		{Method: "GET", Path: "/api/v1/views", Tag: "customers", Summary: "My saved customer lists", Access: user,
			Response: []*kewei.SavedView{}, Serve: s.listViews},
		{Method: "POST", Path: "/api/v1/views", Tag: "customers", Summary: "Save a customer list under a name", Access: user,
			Body: kewei.SavedView{}, Response: kewei.SavedView{}, Status: created, Serve: s.createView},
		{Method: "DELETE", Path: "/api/v1/views/{id}", Tag: "customers", Summary: "Remove one of my saved lists", Access: user,
			Serve: s.deleteView},

		{Method: "GET", Path: "/api/v1/audit", Tag: "audit", Summary: "Search the audit log (auditors and administrators)", Access: audit,
			Query: AuditQuery{}, Response: kewei.List[*kewei.AuditEntry]{}, Serve: s.listAudit},
	}
	routes = append(routes, importRoutes(s)...)
	routes = append(routes, duplicateRoutes(s)...)
	routes = append(routes, tierRoutes(s)...)
	routes = append(routes, playbookRoutes(s)...)
	routes = append(routes, calendarRoutes(s)...)
	routes = append(routes, poolRoutes(s)...)
	routes = append(routes, complaintRoutes(s)...)
	routes = append(routes, surveyRoutes(s)...)
	routes = append(routes, visitRoutes(s)...)
	routes = append(routes, referralRoutes(s)...)
	routes = append(routes, opportunityRoutes(s)...)
	routes = append(routes, scorecardRoutes(s)...)
	routes = append(routes, churnRoutes(s)...)
	routes = append(routes, recommendRoutes(s)...)
	routes = append(routes, campaignRoutes(s)...)
	routes = append(routes, productRoutes(s)...)
	routes = append(routes, statusRoutes(s)...)
	routes = append(routes, upgradeRoutes(s)...)
	routes = append(routes, eventRoutes(s)...)
	routes = append(routes, recordRoutes(s, s.svc.Records.Contacts, "contacts", "contact")...)
	routes = append(routes, recordRoutes(s, s.svc.Records.Holdings, "holdings", "holding")...)
	routes = append(routes, recordRoutes(s, s.svc.Records.Transactions, "transactions", "transaction")...)
	routes = append(routes, recordRoutes(s, s.svc.Records.Interactions, "interactions", "interaction")...)
	routes = append(routes, recordRoutes(s, s.svc.Records.Services, "services", "service record")...)
	return routes
}
