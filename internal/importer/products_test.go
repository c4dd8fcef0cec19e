package importer_test

import (
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestImportProducts reads a catalogue with Chinese headers: life cycles in
// years or months, once or repeat in words, bad rows named by line and
// column; a second file updates by code. Holdings naming the products get
// their due dates at the end. Only administrators import products.
func TestImportProducts(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		boss := user(t, db, "boss", kewei.RoleAdministrator)
		li := user(t, db, "li", kewei.RoleConsultant)
		c := mustCustomerNamed(t, db, "C1")
		if err := sqlstore.NewRecords(db).Holdings.Create(sys, c, &kewei.Holding{Product: "途观L", Category: "car",
			AcquiredOn: kewei.Date{Year: 2021, Month: 3, Day: 31}}); err != nil {
			t.Fatal(err)
		}
		body := "产品编码,产品名称,类别,指导价,购买方式,使用年限,生命周期(月),在售\n" +
			"TG-L,途观L,car,\"259,800\",耐用,6,,是\n" +
			"OIL,机油,保养,380,复购,,,\n" +
			"DEP-1Y,一年定期,deposit,,一次性,,12,否\n" +
			"TG-L,途观L二,car,1,耐用,6,,是\n" + // the code again
			"BAD,,car,-5,偶尔,x,,\n"
		if _, err := runner(db).Run(li, importer.Options{Kind: importer.Products, Path: file(t, "p.csv", body)}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant imported products: %v", err)
		}
		imp, err := runner(db).Run(boss, importer.Options{Kind: importer.Products, Path: file(t, "p.csv", body)})
		if err != nil || imp.Imported != 3 || imp.Failed != 2 {
			t.Fatalf("import: %+v %v", imp, err)
		}
		if got := reasons(problems(t, boss, db, imp.ID)); got != "5:产品编码:duplicate 6:使用年限:invalid_format 6:产品名称:required 6:购买方式:unknown_choice 6:指导价:out_of_range" {
			t.Errorf("problems: %s", got)
		}
		ps, err := sqlstore.NewProductService(db).FindProducts(boss, kewei.ProductFilter{})
		if err != nil || len(ps) != 3 {
			t.Fatalf("catalogue: %v %v", ps, err)
		}
		byCode := map[string]*kewei.Product{}
		for _, p := range ps {
			byCode[p.Code] = p
		}
		car, dep := byCode["TG-L"], byCode["DEP-1Y"]
		if car.LifeMonths != 72 || car.Purchase != kewei.PurchaseOnce || car.Price != 25980000 || !car.Active ||
			dep.LifeMonths != 12 || dep.Active || byCode["OIL"].Purchase != kewei.PurchaseRepeat {
			t.Errorf("products: %+v %+v %+v", car, dep, byCode["OIL"])
		}
		due, err := sqlstore.NewProductService(db).FindDue(boss, kewei.DueFilter{Within: 3660, Overdue: true,
			Today: kewei.Date{Year: 2026, Month: 11, Day: 22}})
		if err != nil || len(due.Items) != 1 || due.Items[0].Due.String() != "2027-03-31" {
			t.Fatalf("due after the import: %+v %v", due, err)
		}
		// A second file changes the price and life by code.
		again := "code,name,price,purchase,life months\nTG-L,途观L,249800,once,60\n"
		if imp, err := runner(db).Run(boss, importer.Options{Kind: importer.Products, Path: file(t, "p2.csv", again)}); err != nil || imp.Imported != 1 {
			t.Fatalf("update: %+v %v", imp, err)
		}
		p, _ := sqlstore.NewProductService(db).FindProduct(boss, car.ID)
		if p.Price != 24980000 || p.LifeMonths != 60 || p.Version != 2 {
			t.Errorf("updated: %+v", p)
		}
		due, _ = sqlstore.NewProductService(db).FindDue(boss, kewei.DueFilter{Within: 3660, Overdue: true,
			Today: kewei.Date{Year: 2026, Month: 11, Day: 22}})
		if len(due.Items) != 1 || due.Items[0].Due.String() != "2026-03-31" {
			t.Errorf("due after the update: %+v", due.Items)
		}
	})
}

func mustCustomerNamed(t *testing.T, db *sqlstore.DB, name string) int64 {
	t.Helper()
	c := &kewei.Customer{Name: name, Stage: kewei.StageCustomer}
	if err := sqlstore.NewCustomerService(db).CreateCustomer(sys, c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}
