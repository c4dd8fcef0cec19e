package export_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/export"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
	"github.com/xuri/excelize/v2"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

func translator(t *testing.T, locale string) *i18n.Translator {
	t.Helper()
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cats.For(locale)
}

func write(t *testing.T, format, locale string, cs []*kewei.Customer, contacts map[int64][]*kewei.Contact, defs kewei.CustomFieldSet) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := export.New(format, &b, translator(t, locale), locale, defs, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := w.Write(c, contacts[c.ID]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var evil = &kewei.Customer{ID: 1, Name: "=HYPERLINK(\"http://x\",\"点我\")", Stage: kewei.StageCustomer, Gender: kewei.GenderMale,
	Phones: []kewei.Phone{{Number: "13812345678"}}, Tags: []string{"车主", "VIP"}, CreatedAt: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)}

func TestCSVNeutralisesFormulas(t *testing.T) {
	out := string(write(t, "csv", "zh-CN", []*kewei.Customer{evil}, nil, nil))
	if !strings.HasPrefix(out, "\xEF\xBB\xBF客户编号,姓名,手机") {
		t.Fatalf("header %q", out[:60])
	}
	if !strings.Contains(out, `"'=HYPERLINK(""http://x"",""点我"")"`) || !strings.Contains(out, "保有客户") || !strings.Contains(out, ",男,") {
		t.Fatalf("row %q", out)
	}
	en := string(write(t, "csv", "en", []*kewei.Customer{evil}, nil, nil))
	if !strings.Contains(en, "external_id,name,phone") || !strings.Contains(en, "Customer") {
		t.Fatalf("english %q", en)
	}
}

func TestXLSX(t *testing.T) {
	out := write(t, "xlsx", "zh-CN", []*kewei.Customer{evil}, nil, nil)
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 2 || rows[0][1] != "姓名" || !strings.HasPrefix(rows[1][1], "'=HYPERLINK") || rows[1][2] != "13812345678" {
		t.Fatalf("rows %q %v", rows, err)
	}
	if formula, _ := f.GetCellFormula(f.GetSheetName(0), "B2"); formula != "" {
		t.Fatalf("a name became a formula: %q", formula)
	}
}

func TestVCard(t *testing.T) {
	person := &kewei.Customer{ID: 1, Name: "张三", Phones: []kewei.Phone{{Number: "13812345678", Label: "mobile"}}, Email: "zs@example.com",
		Company: "深圳市某某科技有限公司; 研发部" + strings.Repeat("长", 30), Birthday: kewei.Date{Year: 1985, Month: 5, Day: 17},
		Preferences: strings.Repeat("长", 40), ExternalID: "C1"}
	masked := &kewei.Customer{ID: 2, Name: "李四", Phones: []kewei.Phone{{Number: "139****1111"}}, Masked: []string{"phones"}}
	firm := &kewei.Customer{ID: 3, Kind: kewei.KindCompany, Name: "大华公司"}
	contacts := map[int64][]*kewei.Contact{3: {{Name: "王经理", Title: "采购经理", Phones: []kewei.Phone{{Number: "13700002222"}}},
		{Name: "赵秘书", Masked: true, Phones: []kewei.Phone{{Number: "137****3333"}}}}}
	folded := string(write(t, "vcf", "zh-CN", []*kewei.Customer{person, masked, firm}, contacts, nil))
	for _, line := range strings.Split(folded, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 bytes: %q", line)
		}
	}
	out := strings.ReplaceAll(folded, "\r\n ", "")
	if out == folded || !strings.Contains(out, strings.Repeat("长", 30)) {
		t.Errorf("long lines are not folded, or fold badly:\n%s", folded)
	}
	for _, want := range []string{"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张三\r\n", "TEL;TYPE=CELL:13812345678", "ORG:深圳市某某科技有限公司\\; 研发部",
		"BDAY:1985-05-17", "FN:王经理", "ORG:大华公司", "TITLE:采购经理", "TEL;TYPE=CELL:13700002222", "FN:赵秘书"} {
		if !strings.Contains(out, want) {
			t.Errorf("vCard lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "****") {
		t.Errorf("masked numbers were written:\n%s", out)
	}
	if strings.Count(out, "BEGIN:VCARD") != 4 || strings.Contains(out, "FN:大华公司") {
		t.Errorf("want cards for the two people and the two contacts, not the company:\n%s", out)
	}
}

// TestExportImportsAgain exports customers as CSV and imports the file into
// another database: every field comes back.
func TestExportImportsAgain(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sys
		fields := sqlstore.NewCustomFieldService(db)
		budget := &kewei.CustomField{Key: "budget", LabelZH: "预算", LabelEN: "Budget", Type: kewei.FieldNumber}
		if err := fields.CreateCustomField(ctx, budget); err != nil {
			t.Fatal(err)
		}
		cs := sqlstore.NewCustomerService(db)
		want := []*kewei.Customer{
			{Name: "张三", ExternalID: "C1", Phones: []kewei.Phone{{Number: "13812345678"}, {Number: "01065521234"}}, Email: "zs@example.com",
				Gender: kewei.GenderMale, Province: "广东省", City: "深圳市", Stage: kewei.StageCustomer, Source: kewei.SourceService,
				Tier: kewei.TierA, Birthday: kewei.Date{Year: 1985, Month: 5, Day: 17}, Tags: []string{"VIP", "车主"},
				Preferences: "=喜欢自驾", MarketingConsent: true, Custom: map[string]any{"budget": 300000.0}},
			{Name: "大华公司", Kind: kewei.KindCompany, ExternalID: "C2", Industry: "制造", Stage: kewei.StageProspect, Intent: kewei.IntentH},
		}
		for _, c := range want {
			if err := cs.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		defs, _ := fields.FindCustomFields(ctx)
		var b bytes.Buffer
		w, _ := export.New("csv", &b, translator(t, "zh-CN"), "zh-CN", defs, time.UTC)
		n, err := cs.ExportCustomers(ctx, kewei.CustomerFilter{}, kewei.ExportOptions{Format: "csv"}, w.Write)
		if err != nil || n != 2 {
			t.Fatalf("exported %d: %v", n, err)
		}
		w.Close()

		other := sqltest.MustOpen(t, "sqlite")
		if err := sqlstore.NewCustomFieldService(other).CreateCustomField(ctx, &kewei.CustomField{Key: "budget", LabelZH: "预算", Type: kewei.FieldNumber}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "export.csv")
		os.WriteFile(path, b.Bytes(), 0o600)
		r := &importer.Runner{Store: sqlstore.NewImportStore(other), Fields: sqlstore.NewCustomFieldService(other).FindCustomFields, Now: other.Now}
		imp, err := r.Run(ctx, importer.Options{Kind: importer.Customers, Path: path})
		if err != nil || imp.Imported != 2 || imp.Failed != 0 {
			t.Fatalf("import of the export: %+v %v\n%s", imp, err, b.String())
		}
		got, err := sqlstore.NewCustomerService(other).FindCustomers(ctx, kewei.CustomerFilter{Sort: "name"})
		if err != nil || len(got.Items) != 2 {
			t.Fatal(err)
		}
		for _, g := range got.Items {
			var w *kewei.Customer
			for _, c := range want {
				if c.ExternalID == g.ExternalID {
					w = c
				}
			}
			if a, b := summary(g), summary(w); a != b {
				t.Errorf("after the round trip\n got %s\nwant %s", a, b)
			}
		}
	})
}

func summary(c *kewei.Customer) string {
	var phones []string
	for _, p := range c.Phones {
		phones = append(phones, p.Number)
	}
	return fmt.Sprint(c.Name, "|", c.Kind, "|", c.ExternalID, "|", phones, "|", c.Email, "|", c.Gender, "|", c.Province, "|",
		c.City, "|", c.Stage, "|", c.Source, "|", c.Tier, "|", c.Intent, "|", c.Birthday, "|", c.Tags, "|",
		c.Preferences, "|", c.Industry, "|", c.MarketingConsent, "|", c.Custom["budget"])
}
