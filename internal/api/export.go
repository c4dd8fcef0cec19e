package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/export"
	"github.com/kewei-crm/kewei/internal/i18n"
)

// ExportQuery is a customer list's filters and the file to write.
type ExportQuery struct {
	CustomerQuery
	Format string `query:"format" doc:"csv (the default), xlsx, or vcf: vCards of the individual customers and of the companies' contacts. Sort, cursor and limit are ignored: every match is written, oldest first."`
}

// exportCustomers streams every customer matching the filters as a file,
// masked as the caller's scope requires; the service audits it.
func (s *Server) exportCustomers(w http.ResponseWriter, r *http.Request) (any, error) {
	var q ExportQuery
	if err := decodeQuery(r, s.opt.Location, &q); err != nil {
		return nil, err
	}
	if q.Format == "" {
		q.Format = "csv"
	}
	if !slices.Contains(export.Formats, q.Format) {
		var p kewei.Problems
		p.Add("format", kewei.ReasonUnknownChoice, "must be csv, xlsx or vcf")
		return nil, p.Err()
	}
	f, err := q.filter(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	// A large export takes longer than the server's write timeout allows
	// ordinary responses.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour))
	defs, err := s.svc.CustomFields.FindCustomFields(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	locale := i18n.Match(kewei.ActorFrom(ctx).Locale)
	var out export.Writer
	start := func() error {
		ctype, ext := export.ContentType(q.Format)
		attachment(w, ctype, "customers-"+time.Now().In(s.opt.Location).Format("20060102-1504")+ext)
		out, err = export.New(q.Format, w, cats.For(locale), locale, defs, s.opt.Location)
		return err
	}
	_, err = s.svc.Customers.ExportCustomers(ctx, f, kewei.ExportOptions{Format: q.Format, Contacts: q.Format == "vcf"},
		func(c *kewei.Customer, contacts []*kewei.Contact) error {
			if out == nil {
				if err := start(); err != nil {
					return err
				}
			}
			return out.Write(c, contacts)
		})
	switch {
	case err != nil && out == nil:
		return nil, err // nothing sent yet: an ordinary error
	case err != nil:
		s.opt.Logger.Error("export cut short", "request_id", RequestID(ctx), "err", err)
		return nil, nil
	case out == nil:
		if err := start(); err != nil {
			return nil, err
		}
	}
	if err := out.Close(); err != nil {
		s.opt.Logger.Error("finish an export", "request_id", RequestID(ctx), "err", err)
	}
	return nil, nil
}
