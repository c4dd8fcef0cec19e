package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/importer"
)

// ImportQuery says how to import the uploaded file.
type ImportQuery struct {
	Kind            string `query:"kind" doc:"customers, contacts, holdings, transactions or interactions."`
	FileName        string `query:"file_name" doc:"The file's name, for the list of imports."`
	DryRun          bool   `query:"dry_run" doc:"Check every row and report problems, importing nothing."`
	CreateCustomers bool   `query:"create_customers" doc:"Make a customer for each unknown customer number instead of failing its rows."`
	Again           bool   `query:"again" doc:"Import a file that was imported before; rows already in Kewei are still skipped."`
	Mapping         string `query:"mapping" doc:"A JSON object from column header to field, e.g. {\"手机号码\":\"phone\",\"内部编号\":\"-\"}."`
}

// TemplateQuery picks an import template.
type TemplateQuery struct {
	Kind   string `query:"kind" doc:"customers, contacts, holdings, transactions or interactions."`
	Format string `query:"format" doc:"csv (default) or xlsx."`
	Lang   string `query:"lang" doc:"zh-CN (Chinese headers, the default) or en."`
}

func importRoutes(s *Server) []Route {
	const data, user = AccessData, AccessUser
	return []Route{
		{Method: "GET", Path: "/api/v1/imports", Tag: "imports", Summary: "My latest imports (everyone's for administrators)", Access: data,
			Response: []*kewei.Import{}, Serve: s.listImports},
		{Method: "POST", Path: "/api/v1/imports", Tag: "imports",
			Summary: "Upload a CSV (UTF-8 or GBK) or XLSX file as the body and start importing it in the background; poll the import for progress",
			Access:  data, Query: ImportQuery{}, Consumes: "application/octet-stream", Response: kewei.Import{}, Status: http.StatusAccepted,
			Serve: s.startImport},
		{Method: "GET", Path: "/api/v1/imports/template", Tag: "imports", Summary: "An empty file with the columns an import understands (format=csv or xlsx)",
			Access: user, Query: TemplateQuery{}, Produces: "text/csv", Serve: s.importTemplate},
		{Method: "GET", Path: "/api/v1/imports/{id}", Tag: "imports", Summary: "One import, with its progress", Access: data,
			Response: kewei.Import{}, Serve: s.getImport},
		{Method: "POST", Path: "/api/v1/imports/{id}/cancel", Tag: "imports", Summary: "Stop a running import after its current batch; importing the same file again resumes it",
			Access: data, Serve: s.cancelImport},
		{Method: "GET", Path: "/api/v1/imports/{id}/report", Tag: "imports", Summary: "Every problem row of an import, as CSV (line, column, value, reason)",
			Access: data, Produces: "text/csv", Serve: s.importReport},
	}
}

func (s *Server) listImports(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.svc.Imports.FindImports(r.Context())
}

func (s *Server) startImport(w http.ResponseWriter, r *http.Request) (any, error) {
	var q ImportQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	req := kewei.ImportRequest{Kind: q.Kind, FileName: q.FileName, DryRun: q.DryRun, CreateCustomers: q.CreateCustomers, Again: q.Again}
	if q.Mapping != "" {
		if err := json.Unmarshal([]byte(q.Mapping), &req.Mapping); err != nil {
			var p kewei.Problems
			p.Add("mapping", kewei.ReasonInvalidFormat, "must be a JSON object from header to field")
			return nil, p.Err()
		}
	}
	// A large upload takes longer than the server's read timeout allows
	// ordinary requests.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	return s.svc.Imports.StartImport(r.Context(), req, r.Body)
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Imports.FindImport(r.Context(), id)
}

func (s *Server) cancelImport(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return nil, s.svc.Imports.CancelImport(r.Context(), id)
}

// importReport streams the problems as CSV in the user's language.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	imp, err := s.svc.Imports.FindImport(r.Context(), id)
	if err != nil {
		return nil, err
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	header, label := importer.ReportLabels(cats.For(kewei.ActorFrom(r.Context()).Locale))
	attachment(w, "text/csv; charset=utf-8", fmt.Sprintf("import-%d-report.csv", imp.ID))
	rep, err := importer.NewReport(w, header, label)
	if err == nil {
		err = s.svc.Imports.ImportProblems(r.Context(), id, rep.Write)
	}
	if err == nil {
		err = rep.Flush()
	}
	if err != nil {
		s.opt.Logger.Error("write an import report", "request_id", RequestID(r.Context()), "err", err)
	}
	return nil, nil
}

// importTemplate writes an empty file with the kind's columns.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	var q TemplateQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	var p kewei.Problems
	kind := importer.Kind(q.Kind)
	if len(importer.Fields(kind)) == 0 {
		p.Add("kind", kewei.ReasonUnknownChoice, "must be customers, contacts, holdings, transactions or interactions")
	}
	if q.Format != "" && q.Format != "csv" && q.Format != "xlsx" {
		p.Add("format", kewei.ReasonUnknownChoice, "must be csv or xlsx")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	lang := q.Lang
	if lang == "" {
		lang = kewei.ActorFrom(r.Context()).Locale
	}
	header := importer.Template(kind, i18n.Match(lang))
	if q.Format == "xlsx" {
		attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", q.Kind+".xlsx")
		return nil, importer.WriteTemplateXLSX(w, header)
	}
	attachment(w, "text/csv; charset=utf-8", q.Kind+".csv")
	return nil, importer.WriteTemplateCSV(w, header)
}

// attachment starts a file download named name.
func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
}
