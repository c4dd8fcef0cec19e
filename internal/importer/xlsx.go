package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits that stop a crafted XLSX (a zip bomb) from filling memory or disk.
const (
	xlsxUnzipLimit    = 2 << 30  // bytes of the whole workbook, unpacked
	xlsxUnzipXMLLimit = 64 << 20 // bytes of one part held in memory; larger ones stream from disk
)

// xlsxTable reads the first sheet of a workbook row by row, so a sheet of a
// million rows never loads into memory.
type xlsxTable struct {
	f     *excelize.File
	rows  *excelize.Rows
	line  int
	total int // rows the sheet says it has, 0 when it does not say
}

func (t *xlsxTable) Done() float64 {
	if t.total == 0 {
		return 0
	}
	return min(1, float64(t.line)/float64(t.total))
}

func openXLSX(path string) (*xlsxTable, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return nil, fmt.Errorf("read the workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read sheet %q: %w", sheets[0], err)
	}
	t := &xlsxTable{f: f, rows: rows}
	if dim, err := f.GetSheetDimension(sheets[0]); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(last); err == nil {
				t.total = row
			}
		}
	}
	return t, nil
}

func (t *xlsxTable) Next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, t.line, err
		}
		return nil, t.line, io.EOF
	}
	t.line++
	cols, err := t.rows.Columns(excelize.Options{RawCellValue: false})
	if err != nil {
		return nil, t.line, &RowError{Line: t.line, Err: err}
	}
	for i, v := range cols {
		cols[i] = strings.TrimSpace(v)
	}
	return cols, t.line, nil
}

func (t *xlsxTable) Close() error {
	t.rows.Close()
	return t.f.Close()
}
