package ui

import (
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

type complaintsPage struct {
	Complaints []*kewei.Complaint
	Now        int64
}

// complaintsPage lists the open complaints in the user's scope, late ones
// marked.
func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Complaints.FindComplaints(r.Context(), kewei.ComplaintFilter{Open: r.URL.Query().Get("all") == "", Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "complaint.title", "complaints")
	p.Form = r.URL.Query()
	p.Data = &complaintsPage{Complaints: list}
	s.render(w, r, http.StatusOK, "complaints", p)
}

type complaintPage struct {
	Complaint *kewei.Complaint
	History   []*kewei.ComplaintEvent
	Actions   []string
	Causes    []string
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request) {
	s.renderComplaint(w, r, nil)
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, formErr error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, history, err := s.svc.Complaints.FindComplaint(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	causes, err := s.svc.Complaints.RootCauses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "complaint.title", "complaints")
	d := &complaintPage{Complaint: k, History: history, Causes: causes}
	// The actions offered are those the lifecycle allows now.
	for _, a := range kewei.ComplaintActions {
		probe := kewei.ComplaintStep{Action: a, Note: "x", Confirmation: "x", RootCause: causes[0], CorrectiveAction: "x"}
		if _, err := kewei.NextComplaintStatus(k, &probe, causes); err == nil {
			d.Actions = append(d.Actions, a)
		}
	}
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	p.Data = d
	s.render(w, r, status, "complaint", p)
}

// complaintCreate records a complaint from the customer page.
func (s *Server) complaintCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k := &kewei.Complaint{CustomerID: id, Channel: r.PostForm.Get("channel"), Category: r.PostForm.Get("category"),
		Severity: kewei.Severity(r.PostForm.Get("severity")), Words: r.PostForm.Get("words")}
	if err := s.svc.Complaints.CreateComplaint(r.Context(), k); err != nil {
		if kewei.ErrorCode(err) == kewei.EINVALID {
			p, perr := s.customerPage(r, "customer.title")
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			p.Form = r.PostForm
			formErrors(p, err)
			s.render(w, r, http.StatusBadRequest, "customer", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/complaints/"+strconv.FormatInt(k.ID, 10)+"?done=created", http.StatusSeeOther)
}

// complaintStep applies one step from the complaint page.
func (s *Server) complaintStep(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	st := kewei.ComplaintStep{Action: f.Get("action"), Note: f.Get("note"), RootCause: f.Get("root_cause"),
		CorrectiveAction: f.Get("corrective_action"), Confirmation: f.Get("confirmation")}
	st.Version, _ = strconv.Atoi(f.Get("version"))
	switch _, err := s.svc.Complaints.ActOnComplaint(r.Context(), id, st); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/complaints/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderComplaint(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// serviceCreate records an after-sales service from the customer page.
func (s *Server) serviceCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sv := &kewei.ServiceRecord{Kind: kewei.ServiceKind(r.PostForm.Get("kind")), Summary: r.PostForm.Get("service_summary")}
	sv.HoldingID, _ = strconv.ParseInt(r.PostForm.Get("holding_id"), 10, 64)
	if err := s.svc.Records.Services.Create(r.Context(), id, sv); err != nil {
		if kewei.ErrorCode(err) == kewei.EINVALID {
			p, perr := s.customerPage(r, "customer.title")
			if perr != nil {
				s.fail(w, r, perr)
				return
			}
			p.Form = r.PostForm
			formErrors(p, err)
			s.render(w, r, http.StatusBadRequest, "customer", p)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
}

// surveyInvite makes a survey link for the customer and shows it once on
// the customer's page, to send by SMS or WeChat.
func (s *Server) surveyInvite(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inv, err := s.svc.Surveys.InviteToSurvey(r.Context(), id, 1, 7)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.customerPage(r, "customer.title")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil || s.opt.SecureCookies {
		scheme = "https"
	}
	p.Data.(*customerPage).SurveyLink = scheme + "://" + r.Host + "/s/" + inv.Token
	s.render(w, r, http.StatusOK, "customer", p)
}
