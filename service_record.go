package kewei

import "time"

// ServiceKind is what an after-sales service was.
type ServiceKind string

// Service kinds.
const (
	ServiceMaintenance ServiceKind = "maintenance"
	ServiceRepair      ServiceKind = "repair"
	ServiceOnSite      ServiceKind = "onsite"
)

// ServiceKinds lists every kind.
var ServiceKinds = []ServiceKind{ServiceMaintenance, ServiceRepair, ServiceOnSite}

// Enum lists the allowed values, for the OpenAPI document.
func (ServiceKind) Enum() []string { return enumStrings(ServiceKinds) }

// ServiceRecord is one after-sales service (售后服务): maintenance, a repair,
// an on-site visit, about one of the customer's holdings.
type ServiceRecord struct {
	ID          int64       `json:"id" kewei:"readonly"`
	CustomerID  int64       `json:"customer_id" kewei:"readonly"`
	HoldingID   int64       `json:"holding_id" doc:"The holding serviced, if any; it must be the customer's."`
	Kind        ServiceKind `json:"kind"`
	PerformedAt time.Time   `json:"performed_at" doc:"Now when omitted."`
	Summary     string      `json:"summary"`
	Cost        Money       `json:"cost"`
	UserID      int64       `json:"user_id" doc:"Who did it; the signed-in user when omitted."`
	UserName    string      `json:"user_name" kewei:"readonly"`
	Note        string      `json:"note"`
	CreatedAt   time.Time   `json:"created_at" kewei:"readonly"`
	UpdatedAt   time.Time   `json:"updated_at" kewei:"readonly"`
	Version     int         `json:"version" kewei:"readonly"`
}

// Validate names every bad field.
func (s *ServiceRecord) Validate() error {
	var p Problems
	checkEnum(&p, "kind", s.Kind, ServiceKinds, true)
	p.checkText("summary", &s.Summary, true, 2000)
	p.checkText("note", &s.Note, false, 2000)
	if s.Cost < 0 {
		p.Add("cost", ReasonOutOfRange, "cannot be negative")
	}
	return p.Err()
}
