package ui

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/export"
)

type visitsPage struct {
	Mine     []*kewei.Visit // still to report
	ToReview []*kewei.Visit
	Recent   []*kewei.Visit
}

// visitsPage lists the user's visits still to report, the reports waiting
// for the user's review, and the latest visits in scope.
func (s *Server) visitsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := &visitsPage{}
	var err error
	if d.Mine, err = s.svc.Visits.FindVisits(ctx, kewei.VisitFilter{Mine: true, Open: true}); err == nil {
		if d.ToReview, err = s.svc.Visits.FindVisits(ctx, kewei.VisitFilter{ToReview: true}); err == nil {
			d.Recent, err = s.svc.Visits.FindVisits(ctx, kewei.VisitFilter{Limit: 50})
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := kewei.ActorFrom(ctx)
	if !a.IsAdmin() && a.Role != kewei.RoleManager {
		d.ToReview = nil
	}
	p := s.newPage(r, "visit.title", "visits")
	p.Data = d
	s.render(w, r, http.StatusOK, "visits", p)
}

type visitPage struct {
	Visit     *kewei.Visit
	CanReport bool
	CanReview bool
	CanAttach bool
}

func (s *Server) visitPage(w http.ResponseWriter, r *http.Request) {
	s.renderVisit(w, r, nil)
}

func (s *Server) renderVisit(w http.ResponseWriter, r *http.Request, formErr error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.svc.Visits.FindVisit(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := kewei.ActorFrom(r.Context())
	d := &visitPage{Visit: v,
		CanReport: v.UserID == a.UserID && (v.Status == kewei.VisitPlanned || v.Status == kewei.VisitReturned),
		CanReview: v.UserID != a.UserID && v.Status == kewei.VisitSubmitted && (a.IsAdmin() || a.Role == kewei.RoleManager),
		CanAttach: v.UserID == a.UserID && v.Status != kewei.VisitApproved && len(v.Attachments) < kewei.MaxAttachments}
	p := s.newPage(r, "visit.title", "visits")
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	} else if d.CanReport { // the form starts from what was reported before a return
		p.Form.Set("decision_maker", v.DecisionMaker)
		p.Form.Set("influencers", v.Influencers)
		p.Form.Set("front_desk", v.FrontDesk)
		p.Form.Set("needs", v.Needs)
		p.Form.Set("next_steps", strings.Join(v.NextSteps, "\n"))
	}
	p.Data = d
	s.render(w, r, status, "visit", p)
}

// visitCreate plans a visit from the customer page.
func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	v := &kewei.Visit{CustomerID: id, Purpose: f.Get("purpose"), Questions: f.Get("questions"), CompetitorNotes: f.Get("competitor_notes"),
		Checklist: f["checklist"]}
	if at, err := time.ParseInLocation("2006-01-02T15:04", f.Get("planned_at"), s.opt.Location); err == nil {
		v.PlannedAt = at
	}
	err = s.svc.Visits.PlanVisit(r.Context(), v)
	if f.Get("planned_at") != "" && v.PlannedAt.IsZero() { // a time the form could not read, named with the rest
		bad := kewei.Problems(kewei.ErrorFields(err))
		for i := range bad {
			if bad[i].Field == "planned_at" {
				bad[i].Reason, bad[i].Message = kewei.ReasonInvalidFormat, "a date and time such as 2026-12-01T10:00"
			}
		}
		err = bad.Err()
	}
	if err != nil {
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
	http.Redirect(w, r, "/visits/"+strconv.FormatInt(v.ID, 10)+"?done=created", http.StatusSeeOther)
}

// visitReport submits the report from the visit page.
func (s *Server) visitReport(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	rep := &kewei.Visit{DecisionMaker: f.Get("decision_maker"), Influencers: f.Get("influencers"), FrontDesk: f.Get("front_desk"),
		Needs: f.Get("needs"), NextSteps: strings.Split(strings.ReplaceAll(f.Get("next_steps"), "\r\n", "\n"), "\n")}
	rep.Version, _ = strconv.Atoi(f.Get("version"))
	s.visitDone(w, r, id, func() error {
		_, err := s.svc.Visits.ReportVisit(r.Context(), id, rep)
		return err
	})
}

// visitReview approves or returns a report from the visit page.
func (s *Server) visitReview(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rv := kewei.VisitReview{Approve: r.PostForm.Get("decision") == "approve", Comment: r.PostForm.Get("comment")}
	rv.Version, _ = strconv.Atoi(r.PostForm.Get("version"))
	s.visitDone(w, r, id, func() error {
		_, err := s.svc.Visits.ReviewVisit(r.Context(), id, rv)
		return err
	})
}

// visitDone runs a change and shows the visit again: with the form's
// errors when it was refused.
func (s *Server) visitDone(w http.ResponseWriter, r *http.Request, id int64, change func() error) {
	switch err := change(); kewei.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/visits/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	case kewei.EINVALID, kewei.ECONFLICT:
		s.renderVisit(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// visitAttach attaches the uploaded file to the visit's report.
func (s *Server) visitAttach(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, kewei.MaxAttachmentSize+1<<20)
	err = kewei.Errorf(kewei.EINVALID, "choose a file")
	if mr, merr := r.MultipartReader(); merr == nil {
		for {
			part, perr := mr.NextPart()
			if perr != nil {
				break
			}
			if part.FormName() == "file" && part.FileName() != "" {
				data, rerr := io.ReadAll(io.LimitReader(part, kewei.MaxAttachmentSize+1))
				if rerr != nil {
					err = kewei.Errorf(kewei.EINVALID, "the upload was cut short")
					break
				}
				_, err = s.svc.Visits.Attach(r.Context(), id, part.FileName(), data)
				break
			}
		}
	}
	s.visitDone(w, r, id, func() error { return err })
}

// attachmentDownload serves a visit report's file.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, data, err := s.svc.Visits.FindAttachment(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	export.Attachment(w, a, data)
}
