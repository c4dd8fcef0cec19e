package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

func runner(db *sqlstore.DB) *importer.Runner {
	return &importer.Runner{Store: sqlstore.NewImportStore(db), Fields: sqlstore.NewCustomFieldService(db).FindCustomFields, Now: db.Now}
}

func user(t *testing.T, db *sqlstore.DB, name string, role kewei.Role) context.Context {
	t.Helper()
	u := &kewei.User{Name: name, DisplayName: name + "老师", Role: role}
	if err := sqlstore.NewUserService(db).CreateUser(sys, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(sys, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return kewei.WithActor(context.Background(), a)
}

func file(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func problems(t *testing.T, ctx context.Context, db *sqlstore.DB, id int64) []kewei.ImportProblem {
	t.Helper()
	var out []kewei.ImportProblem
	if err := sqlstore.NewImportStore(db).ImportProblems(ctx, id, func(p kewei.ImportProblem) error {
		out = append(out, p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func reasons(ps []kewei.ImportProblem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(strings.Join([]string{strconv.Itoa(p.Line), p.Column, p.Reason}, ":") + " ")
	}
	return strings.TrimSpace(b.String())
}

const customers = "客户编号,姓名,手机,邮箱,负责人\n" +
	"C1,张三,13812345678,zs@example.com,wangli\n" +
	"C2,李四,13900001111,,\n" +
	"C1,张三二,13812345670,,wangli\n" + // same number as line 2
	",王五,139000,,wangli\n" + // phone too short
	"C3,赵六,13700001111,,nobody\n" + // unknown owner
	"C4,钱七,13600001111,,zhaomin\n" + // outside the consultant's scope
	"C2,李四,13900001111,,\n" // exact repeat of line 3

func TestImportCustomers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := user(t, db, "wangli", kewei.RoleConsultant)
		user(t, db, "zhaomin", kewei.RoleConsultant)
		path := file(t, "客户.csv", customers)

		dry, err := runner(db).Run(ctx, importer.Options{Kind: importer.Customers, Path: path, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if dry.Imported != 2 || dry.Failed != 4 || dry.Skipped != 1 || dry.Lines != 7 || !dry.DryRun {
			t.Fatalf("dry run %+v", dry)
		}
		list, err := sqlstore.NewCustomerService(db).FindCustomers(ctx, kewei.CustomerFilter{})
		if err != nil || len(list.Items) != 0 {
			t.Fatalf("a dry run wrote customers: %+v %v", list, err)
		}

		imp, err := runner(db).Run(ctx, importer.Options{Kind: importer.Customers, Path: path, BatchLines: 3})
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status != kewei.ImportDone || imp.Imported != 2 || imp.Failed != 4 || imp.Skipped != 1 || imp.Batches != 3 {
			t.Fatalf("import %+v", imp)
		}
		got := reasons(problems(t, ctx, db, imp.ID))
		want := "4:客户编号:duplicate 5:手机:invalid_format 6:负责人:unknown_user 7:负责人:out_of_range 8::duplicate_line"
		if got != want {
			t.Fatalf("problems\n got %s\nwant %s", got, want)
		}
		list, err = sqlstore.NewCustomerService(db).FindCustomers(ctx, kewei.CustomerFilter{Query: "5678"})
		if err != nil || len(list.Items) != 1 || list.Items[0].Name != "张三" {
			t.Fatalf("imported customer not found by phone: %+v %v", list, err)
		}

		_, err = runner(db).Run(ctx, importer.Options{Kind: importer.Customers, Path: path})
		if kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("the same file again: %v, want a conflict", err)
		}
		again, err := runner(db).Run(ctx, importer.Options{Kind: importer.Customers, Path: path, Again: true})
		if err != nil || again.Imported != 0 || again.Skipped != 3 {
			t.Fatalf("again: %+v %v", again, err)
		}
	})
}

const transactions = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
	"536365,85123A,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
	"536365,71053,6,12/1/2010 8:26,3.39,17850,United Kingdom\n" +
	"C536379,D,-1,12/1/2010 9:41,27.5,14527,United Kingdom\n" +
	"536366,22633,6,12/1/2010 8:28,1.85,,United Kingdom\n" +
	"536367,84879,32,12/1/2010 8:34,1.69,13047,United Kingdom\n"

func TestImportTransactionsCreatesCustomers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := user(t, db, "admin1", kewei.RoleAdministrator)
		path := file(t, "online-retail.csv", transactions)

		imp, err := runner(db).Run(ctx, importer.Options{Kind: importer.Transactions, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		if imp.Imported != 0 || imp.Failed != 5 {
			t.Fatalf("without creating customers: %+v", imp)
		}
		if ps := problems(t, ctx, db, imp.ID); ps[0].Reason != importer.ReasonUnknownCustomer || ps[3].Column != "CustomerID" {
			t.Fatalf("problems %+v", ps)
		}

		imp, err = runner(db).Run(ctx, importer.Options{Kind: importer.Transactions, Path: path, Again: true, CreateCustomers: true})
		if err != nil {
			t.Fatal(err)
		}
		if imp.Imported != 4 || imp.Failed != 1 {
			t.Fatalf("creating customers: %+v", imp)
		}
		cs := sqlstore.NewCustomerService(db)
		list, err := cs.FindCustomers(ctx, kewei.CustomerFilter{})
		if err != nil || len(list.Items) != 3 {
			t.Fatalf("customers made: %+v %v", list, err)
		}
		var refund *kewei.Transaction
		recs := sqlstore.NewRecords(db)
		for _, c := range list.Items {
			page, err := recs.Transactions.List(ctx, kewei.RecordFilter{CustomerID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			ts := page.Items
			if c.ExternalID == "17850" && (len(ts) != 2 || ts[0].ExternalID == ts[1].ExternalID) {
				t.Fatalf("invoice lines %+v", ts)
			}
			if c.ExternalID == "14527" {
				refund = ts[0]
			}
		}
		if refund == nil || refund.Amount != -2750 || refund.Quantity != -1 {
			t.Fatalf("cancellation %+v", refund)
		}

		again, err := runner(db).Run(ctx, importer.Options{Kind: importer.Transactions, Path: path, Again: true, CreateCustomers: true})
		if err != nil || again.Imported != 0 || again.Skipped != 4 {
			t.Fatalf("again: %+v %v", again, err)
		}
	})
}

func TestImportResumesAfterCancel(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := user(t, db, "admin1", kewei.RoleAdministrator)
		var b strings.Builder
		b.WriteString("客户编号,姓名,手机\n")
		for i := range 100 {
			fmt.Fprintf(&b, "K%03d,客户%d,1380000%04d\n", i, i, i)
		}
		path := file(t, "big.csv", b.String())
		cctx, cancel := context.WithCancel(ctx)
		first, err := runner(db).Run(cctx, importer.Options{Kind: importer.Customers, Path: path, BatchLines: 30,
			Progress: func(imp *kewei.Import, done float64) {
				if imp.Batches == 2 {
					cancel()
				}
			}})
		if !errors.Is(err, context.Canceled) || first.Status != kewei.ImportCancelled || first.Batches != 2 || first.Imported != 60 {
			t.Fatalf("cancelled: %+v %v", first, err)
		}
		var seen []float64
		second, err := runner(db).Run(ctx, importer.Options{Kind: importer.Customers, Path: path, BatchLines: 30,
			Progress: func(imp *kewei.Import, done float64) { seen = append(seen, done) }})
		if err != nil || second.ID != first.ID || second.Imported != 100 || second.Batches != 4 || second.Status != kewei.ImportDone {
			t.Fatalf("resumed: %+v %v", second, err)
		}
		if len(seen) != 4 || seen[3] != 1 {
			t.Fatalf("progress %v", seen)
		}
		list, err := sqlstore.NewCustomerService(db).FindCustomers(ctx, kewei.CustomerFilter{Limit: 200})
		if err != nil || len(list.Items) != 100 {
			t.Fatalf("%d customers after resuming, want 100 (%v)", len(list.Items), err)
		}
	})
}
