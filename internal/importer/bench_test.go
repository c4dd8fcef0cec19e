package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// BenchmarkImportCustomers imports a file of 20,000 customers into a fresh
// SQLite database per iteration; the bench/ harness measures a million.
func BenchmarkImportCustomers(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("客户编号,姓名,手机,邮箱,省份,城市,标签\n")
	for i := range 20000 {
		fmt.Fprintf(&sb, "K%05d,客户%d,139%08d,k%d@example.com,浙江省,杭州市,车主\n", i, i, i, i)
	}
	path := filepath.Join(b.TempDir(), "c.csv")
	os.WriteFile(path, []byte(sb.String()), 0o600)
	for b.Loop() {
		b.StopTimer()
		db := sqltest.MustOpen(b, "sqlite")
		b.StartTimer()
		imp, err := runner(db).Run(sys, importer.Options{Kind: importer.Customers, Path: path})
		if err != nil || imp.Imported != 20000 {
			b.Fatal(imp, err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
