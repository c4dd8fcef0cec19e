// Package importer reads customer data out of the spreadsheets teams bring —
// CSV in UTF-8 (with or without BOM) or GBK/GB18030, and XLSX read row by row
// — maps their columns by Chinese or English header names, and turns each row
// into a record or into the reasons it cannot be one. It writes nothing;
// the store does.
package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Table is a sheet read row by row. The first row is the header.
type Table interface {
	// Next returns the next row and its number in the file (the header is
	// row 1), or io.EOF. A *RowError is about one row only: reading goes on
	// after it.
	Next() (row []string, line int, err error)
	// Done is the share of the file read so far, from 0 to 1, or 0 when
	// not known.
	Done() float64
	Close() error
}

// RowError is a row that cannot be read, in a file that can.
type RowError struct {
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Line, e.Err) }

// Format is a file's format and, for CSV, its encoding.
type Format struct {
	Kind     string // "csv" or "xlsx"
	Encoding string // "utf-8", "utf-8-bom" or "gb18030", for CSV
}

// OpenFile opens a CSV or XLSX file, telling them apart by content, not by
// name.
func OpenFile(path string) (Table, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Format{}, err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, Format{}, err
	}
	if n == 4 && bytes.Equal(head, []byte("PK\x03\x04")) {
		f.Close()
		t, err := openXLSX(path)
		return t, Format{Kind: "xlsx"}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Format{}, err
	}
	cr := &countingReader{r: f}
	t, enc, err := NewCSV(cr)
	if err != nil {
		f.Close()
		return nil, Format{}, err
	}
	t.closer, t.read, t.size = f, cr, st.Size()
	return t, Format{Kind: "csv", Encoding: enc}, nil
}

// csvTable reads CSV, decoded to UTF-8.
type csvTable struct {
	r      *csv.Reader
	line   int
	closer io.Closer
	read   *countingReader
	size   int64
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (t *csvTable) Done() float64 {
	if t.read == nil || t.size == 0 {
		return 0
	}
	return min(1, float64(t.read.n)/float64(t.size))
}

// NewCSV reads CSV from r, detecting its encoding: a UTF-8 byte-order mark,
// else UTF-8 if the first 64 KiB are valid UTF-8, else GB18030 (which reads
// GBK, what Chinese Excel writes). The delimiter is a comma, or a tab or a
// semicolon when the header has more of those.
func NewCSV(r io.Reader) (*csvTable, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	peek, _ := br.Peek(64 << 10)
	var src io.Reader = br
	enc := "utf-8"
	switch {
	case bytes.HasPrefix(peek, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		enc = "utf-8-bom"
	case !validUTF8Prefix(peek):
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		enc = "gb18030"
	}
	first, _, _ := bytes.Cut(peek, []byte("\n"))
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	switch c, t, s := bytes.Count(first, []byte(",")), bytes.Count(first, []byte("\t")), bytes.Count(first, []byte(";")); {
	case t > c && t >= s:
		cr.Comma = '\t'
	case s > c && s > t:
		cr.Comma = ';'
	}
	return &csvTable{r: cr}, enc, nil
}

// validUTF8Prefix reports whether b is valid UTF-8 except perhaps for a rune
// cut at its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func (t *csvTable) Next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, &RowError{Line: pe.StartLine, Err: pe.Err}
		}
		return nil, t.line, err
	}
	line, _ := t.r.FieldPos(0)
	t.line = line
	for i, v := range rec {
		rec[i] = strings.TrimSpace(strings.TrimPrefix(v, "\uFEFF"))
	}
	return rec, line, nil
}

func (t *csvTable) Close() error {
	if t.closer != nil {
		return t.closer.Close()
	}
	return nil
}
