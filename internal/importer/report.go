package importer

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// Report writes problems as CSV — line, column, value, reason, what the
// reason means, message — in UTF-8 with a byte-order mark, so Excel opens
// it in Chinese. Values are neutralised so a spreadsheet never runs them as
// formulas.
type Report struct {
	cw    *csv.Writer
	label func(reason string) string
}

// ReportHeader is the report's header when the caller gives none.
var ReportHeader = []string{"line", "column", "value", "reason", "explanation", "message"}

// NewReport starts a report on w with the given header (six columns) and
// a function naming each reason in the reader's language; nil for either
// uses plain English names.
func NewReport(w io.Writer, header []string, label func(string) string) (*Report, error) {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return nil, err
	}
	if header == nil {
		header = ReportHeader
	}
	if label == nil {
		label = func(r string) string { return r }
	}
	r := &Report{cw: csv.NewWriter(w), label: label}
	return r, r.cw.Write(header)
}

// Write adds one problem.
func (r *Report) Write(p Problem) error {
	return r.cw.Write([]string{strconv.Itoa(p.Line), kewei.SafeCell(p.Column), kewei.SafeCell(p.Value), p.Reason,
		kewei.SafeCell(r.label(p.Reason)), kewei.SafeCell(p.Message)})
}

// Flush writes what is buffered and returns the first error.
func (r *Report) Flush() error {
	r.cw.Flush()
	return r.cw.Error()
}

// WriteReport writes a whole report with the default header.
func WriteReport(w io.Writer, probs []Problem) error {
	r, err := NewReport(w, nil, nil)
	if err != nil {
		return err
	}
	for _, p := range probs {
		if err := r.Write(p); err != nil {
			return err
		}
	}
	return r.Flush()
}

// Translator names messages in the reader's language.
type Translator interface {
	T(key string, args ...any) string
	Has(key string) bool
}

// ReportLabels returns a report's header and reason names in t's language.
func ReportLabels(t Translator) ([]string, func(string) string) {
	var header []string
	for _, k := range []string{"line", "column", "value", "reason", "explanation", "message"} {
		header = append(header, t.T("import.report."+k))
	}
	return header, func(reason string) string {
		if t.Has("reason." + reason) {
			return t.T("reason." + reason)
		}
		return reason
	}
}
