package importer

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteTemplateCSV writes an empty CSV with the header, with a byte-order
// mark so Excel reads the Chinese names.
func WriteTemplateCSV(w io.Writer, header []string) error {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.Flush()
	return cw.Error()
}

// WriteTemplateXLSX writes a workbook whose first sheet holds the header,
// bold and frozen.
func WriteTemplateXLSX(w io.Writer, header []string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &row); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}
