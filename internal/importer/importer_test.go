package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var cst = time.FixedZone("CST", 8*3600)

// readAll parses every row of a table with the kind's mapping.
func readAll(t *testing.T, kind Kind, tb Table) ([]*Row, []Problem) {
	t.Helper()
	header, _, err := tb.Next()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Map(kind, header, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := NewParser(m, cst, nil)
	var rows []*Row
	var probs []Problem
	for {
		rec, line, err := tb.Next()
		if err == io.EOF {
			return rows, probs
		}
		if err != nil {
			t.Fatal(err)
		}
		r, ps := p.Parse(line, rec)
		if r != nil {
			rows = append(rows, r)
		}
		probs = append(probs, ps...)
	}
}

func mustCSV(t *testing.T, body []byte) (Table, string) {
	t.Helper()
	tb, enc, err := NewCSV(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return tb, enc
}

const customersCSV = "客户编号,姓名,手机,邮箱,性别,生日,省份,城市,标签,阶段\n" +
	"C001,张三,１３８１２３４５６７８,zs@example.com,男,1985/5/17,广东省,深圳市,车主、VIP,保有\n" +
	"C002,李四,139 0000 1111,,女,1990年2月3日,浙江省,杭州市,,意向\n"

func TestEncodings(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(customersCSV))
	for name, body := range map[string][]byte{
		"utf-8":     []byte(customersCSV),
		"utf-8-bom": append([]byte("\xEF\xBB\xBF"), customersCSV...),
		"gb18030":   gbk,
	} {
		tb, enc := mustCSV(t, body)
		if enc != name {
			t.Errorf("%s read as %s", name, enc)
		}
		rows, probs := readAll(t, Customers, tb)
		if len(probs) != 0 || len(rows) != 2 {
			t.Fatalf("%s: %d rows, problems %v", name, len(rows), probs)
		}
		c := rows[0].Customer
		if c.Name != "张三" || c.ExternalID != "C001" || c.Phones[0].Number != "13812345678" || c.Gender != "male" ||
			c.Birthday.String() != "1985-05-17" || len(c.Tags) != 2 || c.Stage != "customer" || c.Province != "广东省" {
			t.Errorf("%s: %+v", name, c)
		}
		if rows[1].Customer.Birthday.String() != "1990-02-03" || rows[1].Customer.Stage != "prospect" {
			t.Errorf("%s: second row %+v", name, rows[1].Customer)
		}
	}
}

func TestMessyTransactions(t *testing.T) {
	body := "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
		"536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
		"536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom\n" +
		"536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom\n" +
		"C536379,D,Discount,-1,12/1/2010 9:41,27.50,14527,United Kingdom\n" +
		"536380,22961,JAM MAKING SET,24,12/1/2010 9:41,\"¥１,２34.50\",,United Kingdom\n" +
		"536381,22139,RETROSPOT,2,2010-13-45,1.65,15311,United Kingdom\n" +
		"536382,22139,RETROSPOT,two,2010-12-01,1.65,15311,United Kingdom\n"
	tb, _ := mustCSV(t, []byte(body))
	rows, probs := readAll(t, Transactions, tb)
	if len(rows) != 3 {
		t.Fatalf("%d rows: %+v\nproblems %+v", len(rows), rows, probs)
	}
	first := rows[0].Transaction
	if rows[0].CustomerRef != "17850" || first.Amount != 1530 || first.ExternalID != "536365#1" || first.Product != "85123A" ||
		!first.OccurredAt.Equal(time.Date(2010, 12, 1, 8, 26, 0, 0, cst)) {
		t.Errorf("first line: %+v", first)
	}
	if rows[1].Transaction.ExternalID != "536365#2" {
		t.Errorf("second line of the invoice: %s", rows[1].Transaction.ExternalID)
	}
	if c := rows[2].Transaction; c.Amount != -2750 || c.Quantity != -1 {
		t.Errorf("a cancellation is a refund: %+v", c)
	}
	reasons := map[string]string{}
	for _, p := range probs {
		reasons[p.Column+"/"+p.Reason] = p.Value
	}
	for _, want := range []string{"/duplicate_line", "CustomerID/required", "InvoiceDate/invalid_format", "Quantity/invalid_format"} {
		if _, ok := reasons[want]; !ok {
			t.Errorf("no problem %s in %+v", want, probs)
		}
	}
}

func TestRepeatedPurchasesWithoutNumbers(t *testing.T) {
	body := "customer_id,date,quantity,amount\n1,1997-01-01,1,11.77\n1,1997-01-01,1,11.77\n"
	tb, _ := mustCSV(t, []byte(body))
	rows, probs := readAll(t, Transactions, tb)
	if len(rows) != 2 || len(probs) != 1 || probs[0].Reason != ReasonRepeatedLine || probs[0].Line != 3 {
		t.Fatalf("rows %+v problems %+v", rows, probs)
	}
}

func TestNumbersAndDates(t *testing.T) {
	for in, want := range map[string]kewei.Money{"¥1,234.50": 123450, "１２３": 12300, "(12.5)": -1250, "1，000元": 100000,
		"RMB 88": 8800, "£3.339": 334, "-0.01": -1} {
		got, err := parseMoney(in)
		if err != nil || got != want {
			t.Errorf("parseMoney(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1.2.3", "NaN", "Inf"} {
		if _, err := parseMoney(bad); err == nil {
			t.Errorf("parseMoney(%q) accepted", bad)
		}
	}
	for in, want := range map[string]string{"2026-11-02": "2026-11-02", "2026/11/2": "2026-11-02", "2026.11.2": "2026-11-02",
		"2026年11月2日": "2026-11-02", "20261102": "2026-11-02", "11/2/2026": "2026-11-02", "11/2/2026 13:05": "2026-11-02",
		"２０２６-１１-０２": "2026-11-02", "46328": "2026-11-02", "2026-11-02T10:00:00+08:00": "2026-11-02"} {
		got, err := parseDate(in, cst)
		if err != nil || got.String() != want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
}

func TestMapping(t *testing.T) {
	m, err := Map(Customers, []string{"手机号", "Customer Name", "E-Mail", "备注", "whatever", "车型"},
		map[string]string{"whatever": "-"}, map[string][]string{"car_model": {"车型", "Car model"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Columns["phone"] != 0 || m.Columns["name"] != 1 || m.Columns["email"] != 2 || m.Columns["preferences"] != 3 || m.Custom["car_model"] != 5 {
		t.Fatalf("mapping %+v", m)
	}
	if _, err := Map(Transactions, []string{"金额", "日期"}, nil, nil); err == nil || !strings.Contains(err.Error(), "customer") {
		t.Fatalf("a missing customer column: %v", err)
	}
	for _, kind := range Kinds {
		for _, loc := range []string{"zh-CN", "en"} {
			if _, err := Map(kind, Template(kind, loc), nil, nil); err != nil {
				t.Errorf("the %s template for %s does not map: %v", loc, kind, err)
			}
		}
	}
}

func TestXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "customers.xlsx")
	f := excelize.NewFile()
	for i, row := range [][]any{{"客户编号", "姓名", "手机", "生日"}, {"C9", "王五", 13700000000, 31049}, {"C10", "赵六", "137 0000 0001", "1990-01-02"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tb, format, err := OpenFile(path)
	if err != nil || format.Kind != "xlsx" {
		t.Fatalf("open: %v %v", format, err)
	}
	defer tb.Close()
	rows, probs := readAll(t, Customers, tb)
	if len(probs) != 0 || len(rows) != 2 || rows[0].Customer.Phones[0].Number != "13700000000" || rows[0].Customer.Birthday.String() != "1985-01-02" {
		t.Fatalf("xlsx rows %+v problems %+v", rows, probs)
	}
}

func TestReport(t *testing.T) {
	var b bytes.Buffer
	WriteReport(&b, []Problem{{Line: 3, Column: "金额", Value: "=1+1", Reason: "invalid_format", Message: "is not a number"}})
	if !strings.Contains(b.String(), "3,金额,'=1+1,invalid_format") || !strings.HasPrefix(b.String(), "\xEF\xBB\xBF") {
		t.Fatalf("report %q", b.String())
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte(customersCSV))
	f.Add([]byte("a,b\n\"x\ny\",\"\"\"\n"))
	f.Add([]byte{0xff, 0xfe, 0x00, ','})
	f.Fuzz(func(t *testing.T, body []byte) {
		tb, _, err := NewCSV(bytes.NewReader(body))
		if err != nil {
			return
		}
		header, _, err := tb.Next()
		if err != nil {
			return
		}
		m, err := Map(Customers, header, nil, nil)
		if err != nil {
			return
		}
		p := NewParser(m, cst, nil)
		for i := 0; i < 1000; i++ {
			rec, line, err := tb.Next()
			if err != nil {
				return
			}
			r, probs := p.Parse(line, rec)
			if r == nil && len(probs) == 0 {
				t.Fatal("a row neither parsed nor explained")
			}
		}
	})
}

func FuzzMapping(f *testing.F) {
	f.Add("客户编号,姓名,手机")
	f.Add("Customer ID,Name,E-mail,,")
	f.Fuzz(func(t *testing.T, header string) {
		cols := strings.Split(header, ",")
		for _, kind := range Kinds {
			m, _ := Map(kind, cols, nil, nil)
			if m == nil {
				continue
			}
			for _, i := range m.Columns {
				if i < 0 || i >= len(cols) {
					t.Fatalf("column %d of %d", i, len(cols))
				}
			}
		}
	})
}

func FuzzValues(f *testing.F) {
	for _, s := range []string{"¥1,234.50", "2026年11月2日", "(3)", "１２", "46328", "12/31/1999 23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := parseMoney(s); err == nil && (m > 9e15 || m < -9e15) {
			t.Fatalf("parseMoney(%q) = %d", s, m)
		}
		parseDate(s, cst)
		parseBool(s)
	})
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// FuzzXLSX feeds the workbook reader damaged files: it must refuse them or
// read them, never panic or hang.
func FuzzXLSX(f *testing.F) {
	var b bytes.Buffer
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &[]any{"客户编号", "姓名", "手机"})
	wb.SetSheetRow("Sheet1", "A2", &[]any{"C1", "张三", 13800000000})
	wb.Write(&b)
	good := b.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04garbage"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		tb, _, err := OpenFile(path)
		if err != nil {
			return
		}
		defer tb.Close()
		for i := 0; i < 1000; i++ {
			if _, _, err := tb.Next(); err != nil {
				var rowErr *RowError
				if !errors.As(err, &rowErr) {
					return
				}
			}
		}
	})
}
