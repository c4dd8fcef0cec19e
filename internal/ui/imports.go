package ui

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/importer"
)

type importsPage struct {
	Imports []*kewei.Import
	Kinds   []importer.Kind
}

// importsPage lists the user's imports, with the upload form and the
// templates to fill in.
func (s *Server) importsPage(w http.ResponseWriter, r *http.Request) {
	s.renderImports(w, r, http.StatusOK, nil)
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	p := s.newPage(r, "import.title", "imports")
	list, err := s.svc.Imports.FindImports(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if formErr != nil {
		formErrors(p, formErr)
		if msg := kewei.ErrorMessage(formErr); len(kewei.ErrorFields(formErr)) == 0 && kewei.ErrorCode(formErr) == kewei.EINVALID {
			p.Errors[""] = msg // which column is missing, in the file's own words
		}
		if kewei.ErrorCode(formErr) == kewei.ECONFLICT {
			p.Errors[""] = p.L.T("import.again_needed")
		}
	}
	p.Form = r.PostForm
	if r.Method == http.MethodGet {
		p.Form = r.URL.Query() // ?kind= from the catalogue's link
	}
	p.Data = &importsPage{Imports: list, Kinds: importer.Kinds}
	s.render(w, r, status, "imports", p)
}

// importStart reads the form as it streams — the options, then the file —
// so a large file is never held in memory, and starts the import.
func (s *Server) importStart(w http.ResponseWriter, r *http.Request) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderImports(w, r, http.StatusBadRequest, kewei.Errorf(kewei.EINVALID, "choose a file"))
		return
	}
	r.PostForm = map[string][]string{}
	var req kewei.ImportRequest
	var imp *kewei.Import
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.renderImports(w, r, http.StatusBadRequest, kewei.Errorf(kewei.EINVALID, "the upload was cut short"))
			return
		}
		if part.FormName() == "file" {
			imp, err = s.startFromPart(r, req, part)
			if err != nil {
				s.importFailed(w, r, err)
				return
			}
			break
		}
		v, _ := io.ReadAll(io.LimitReader(part, 1024))
		r.PostForm.Set(part.FormName(), string(v))
		req = formRequest(r.PostForm)
	}
	if imp == nil {
		var p kewei.Problems
		p.Add("file", kewei.ReasonRequired, "choose a file")
		s.renderImports(w, r, http.StatusBadRequest, p.Err())
		return
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(imp.ID, 10), http.StatusSeeOther)
}

func (s *Server) startFromPart(r *http.Request, req kewei.ImportRequest, part *multipart.Part) (*kewei.Import, error) {
	req.FileName = part.FileName()
	if req.FileName == "" {
		var p kewei.Problems
		p.Add("file", kewei.ReasonRequired, "choose a file")
		return nil, p.Err()
	}
	return s.svc.Imports.StartImport(r.Context(), req, part)
}

func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch kewei.ErrorCode(err) {
	case kewei.EINVALID:
		s.renderImports(w, r, http.StatusBadRequest, err)
	case kewei.ECONFLICT:
		s.renderImports(w, r, http.StatusConflict, err)
	default:
		s.fail(w, r, err)
	}
}

func formRequest(f map[string][]string) kewei.ImportRequest {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	return kewei.ImportRequest{Kind: get("kind"), DryRun: get("dry_run") != "", CreateCustomers: get("create_customers") != "",
		Again: get("again") != ""}
}

// importPage shows one import, refreshing while it runs.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var imp *kewei.Import
	if err == nil {
		imp, err = s.svc.Imports.FindImport(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "import.one", "imports")
	if imp.Status == kewei.ImportRunning {
		p.Refresh = 2
	}
	p.Data = imp
	s.render(w, r, http.StatusOK, "import", p)
}

func (s *Server) importCancel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.Imports.CancelImport(r.Context(), id)
	}
	if err != nil && kewei.ErrorCode(err) != kewei.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+r.PathValue("id"), http.StatusSeeOther)
}
