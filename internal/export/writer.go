package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/xuri/excelize/v2"
)

// Formats are the export formats.
var Formats = []string{"csv", "xlsx", "vcf"}

// Writer writes customers one by one.
type Writer interface {
	Write(c *kewei.Customer, contacts []*kewei.Contact) error
	// Close finishes the file; nothing is complete before it.
	Close() error
}

// ContentType returns the media type and file extension of a format.
func ContentType(format string) (string, string) {
	switch format {
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
	case "vcf":
		return "text/vcard; charset=utf-8", ".vcf"
	}
	return "text/csv; charset=utf-8", ".csv"
}

// New returns a writer of format on w, with headers in locale ("zh-CN" or
// "en") named by t, custom fields defs and times in loc.
func New(format string, w io.Writer, t Translator, locale string, defs kewei.CustomFieldSet, loc *time.Location) (Writer, error) {
	switch format {
	case "csv":
		return newCSV(w, columns(t, locale, defs, loc))
	case "xlsx":
		return newXLSX(w, columns(t, locale, defs, loc))
	case "vcf":
		return &vcardWriter{w: w}, nil
	}
	return nil, fmt.Errorf("no export format %q: use csv, xlsx or vcf", format)
}

// csvWriter writes UTF-8 CSV with a byte-order mark (so Excel reads the
// Chinese), every value neutralised against formulas.
type csvWriter struct {
	cw   *csv.Writer
	cols []column
	row  []string
}

func newCSV(w io.Writer, cols []column) (*csvWriter, error) {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return nil, err
	}
	cw := &csvWriter{cw: csv.NewWriter(w), cols: cols, row: make([]string, len(cols))}
	for i, c := range cols {
		cw.row[i] = kewei.SafeCell(c.header)
	}
	return cw, cw.cw.Write(cw.row)
}

func (w *csvWriter) Write(c *kewei.Customer, _ []*kewei.Contact) error {
	for i, col := range w.cols {
		w.row[i] = kewei.SafeCell(col.value(c))
	}
	return w.cw.Write(w.row)
}

func (w *csvWriter) Close() error {
	w.cw.Flush()
	return w.cw.Error()
}

// xlsxWriter streams rows into a workbook, every cell text, so nothing is
// ever taken for a formula.
type xlsxWriter struct {
	out  io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	cols []column
	n    int
}

func newXLSX(w io.Writer, cols []column) (*xlsxWriter, error) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter(f.GetSheetName(0))
	if err != nil {
		f.Close()
		return nil, err
	}
	xw := &xlsxWriter{out: w, f: f, sw: sw, cols: cols, n: 1}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{Value: kewei.SafeCell(c.header)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		f.Close()
		return nil, err
	}
	return xw, nil
}

func (w *xlsxWriter) Write(c *kewei.Customer, _ []*kewei.Contact) error {
	w.n++
	row := make([]any, len(w.cols))
	for i, col := range w.cols {
		row[i] = kewei.SafeCell(col.value(c))
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.n)
	return w.sw.SetRow(cell, row)
}

func (w *xlsxWriter) Close() error {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	return w.f.Write(w.out)
}
