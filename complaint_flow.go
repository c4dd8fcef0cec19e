package kewei

import "strings"

// NextComplaintStatus checks a step against the complaint and returns the
// status it leads to, or names what is missing.
func NextComplaintStatus(c *Complaint, s *ComplaintStep, causes []string) (ComplaintStatus, error) {
	var p Problems
	p.checkText("note", &s.Note, false, 5000)
	s.RootCause, s.CorrectiveAction, s.Confirmation = strings.TrimSpace(s.RootCause), strings.TrimSpace(s.CorrectiveAction), strings.TrimSpace(s.Confirmation)
	from := c.Status
	wrong := func() (ComplaintStatus, error) {
		return "", Errorf(ECONFLICT, "a %s complaint cannot be %s", from, actionPast(s.Action))
	}
	if from == ComplaintClosed && s.Action != ActReopen {
		return wrong()
	}
	switch s.Action {
	case ActAcknowledge:
		if from != ComplaintReceived {
			return wrong()
		}
		return ComplaintAcknowledged, p.Err()
	case ActInvestigate:
		if from != ComplaintReceived && from != ComplaintAcknowledged {
			return wrong()
		}
		return ComplaintInvestigating, p.Err()
	case ActPropose:
		if from != ComplaintAcknowledged && from != ComplaintInvestigating {
			return wrong()
		}
		if strings.TrimSpace(s.Note) == "" {
			p.Add("note", ReasonRequired, "describe the solution proposed")
		}
		return ComplaintProposed, p.Err()
	case ActResolve:
		if from != ComplaintInvestigating && from != ComplaintProposed && from != ComplaintAcknowledged {
			return wrong()
		}
		return ComplaintResolved, p.Err()
	case ActConfirm:
		if from != ComplaintResolved {
			return wrong()
		}
		if s.Confirmation == "" {
			p.Add("confirmation", ReasonRequired, "record what the customer said")
		}
		return ComplaintConfirmed, p.Err()
	case ActClose:
		if from != ComplaintConfirmed {
			return "", Errorf(ECONFLICT, "a complaint is closed after the customer confirmed the solution; this one is %s", from)
		}
		if s.RootCause == "" {
			p.Add("root_cause", ReasonRequired, "name the root cause")
		} else if !contains(causes, s.RootCause) {
			p.Add("root_cause", ReasonUnknownChoice, "must be one of %s", strings.Join(causes, ", "))
		}
		if s.CorrectiveAction == "" {
			p.Add("corrective_action", ReasonRequired, "say what changes so it does not happen again")
		}
		return ComplaintClosed, p.Err()
	case ActReopen:
		if from != ComplaintResolved && from != ComplaintConfirmed && from != ComplaintClosed {
			return wrong()
		}
		return ComplaintInvestigating, p.Err()
	case ActWait, ActResume:
		if (s.Action == ActWait) == c.Waiting || from == ComplaintResolved || from == ComplaintConfirmed {
			return wrong()
		}
		return from, p.Err()
	}
	p.Add("action", ReasonUnknownChoice, "must be one of %s", strings.Join(ComplaintActions, ", "))
	return "", p.Err()
}

func actionPast(a string) string {
	switch a {
	case ActWait:
		return "put on hold"
	case ActResume:
		return "resumed"
	}
	if strings.HasSuffix(a, "e") {
		return a + "d"
	}
	return a + "ed"
}
