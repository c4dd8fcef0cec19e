package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/importer"
	"github.com/kewei-crm/kewei/internal/sqlstore"
)

// importRun is one `kewei import` measured: its wall time and the peak
// memory of the process.
type importRun struct {
	kind     string
	rows     int
	took     time.Duration
	peakKB   int64
	bare     time.Duration
	fileSize int64
}

// importBench writes a customers file and a transactions file (ten per
// customer), imports them with the real `kewei import` command into an
// empty database, and times a bare load of the same rows beside it.
func importBench(ctx context.Context, o options) error {
	start := time.Now()
	dir := filepath.Join("bench", "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cpath := filepath.Join(dir, fmt.Sprintf("customers-%d.csv", o.customers))
	tpath := filepath.Join(dir, fmt.Sprintf("transactions-%d.csv", o.customers*10))
	if err := writeFiles(cpath, tpath, o.customers); err != nil {
		return err
	}
	bin := filepath.Join(os.TempDir(), "kewei-bench-bin")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/kewei")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build kewei: %w", err)
	}
	db := beside(o.db, "import")
	if err := reset(ctx, db); err != nil {
		return err
	}
	if err := runKewei(ctx, bin, "migrate", "--db", db); err != nil {
		return err
	}
	var runs []importRun
	for _, f := range []struct{ kind, path string }{{"customers", cpath}, {"transactions", tpath}} {
		fmt.Printf("kewei import %s %s …\n", f.kind, f.path)
		r, err := timeImport(ctx, bin, db, f.kind, f.path)
		if err != nil {
			return err
		}
		runs = append(runs, r)
		fmt.Printf("  %s in %s, peak %d MB\n", f.kind, r.took.Round(time.Millisecond), r.peakKB/1024)
	}
	runs[0].rows, runs[1].rows = o.customers, o.customers*10
	fmt.Println("bare load of the same rows …")
	var err error
	if runs[0].bare, runs[1].bare, err = bareImport(ctx, db, cpath, tpath); err != nil {
		return fmt.Errorf("bare load: %w", err)
	}
	fmt.Printf("done in %s\n", time.Since(start).Round(time.Second))
	return writeImportReport(o, db, runs, start)
}

// timeImport runs one import and reads its peak resident memory.
func timeImport(ctx context.Context, bin, db, kind, path string) (importRun, error) {
	st, err := os.Stat(path)
	if err != nil {
		return importRun{}, err
	}
	cmd := exec.CommandContext(ctx, bin, "import", kind, path, "--db", db, "--create-customers", "--report", os.DevNull)
	cmd.Stdout, cmd.Stderr = os.Stdout, io.Discard
	cmd.Env = append(os.Environ(), "KEWEI_LOG_LEVEL=warn")
	begin := time.Now()
	if err := cmd.Run(); err != nil {
		return importRun{}, fmt.Errorf("kewei import %s: %w", kind, err)
	}
	r := importRun{kind: kind, took: time.Since(begin), fileSize: st.Size()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakKB = ru.Maxrss
	}
	return r, nil
}

// writeFiles writes the two files unless they are there: customers with
// the columns a dealership's export has, and their transactions in an
// order that mixes customers, as an export by date does.
func writeFiles(cpath, tpath string, n int) error {
	if _, err := os.Stat(tpath); err == nil {
		if _, err := os.Stat(cpath); err == nil {
			return nil
		}
	}
	fmt.Printf("writing %s and %s …\n", cpath, tpath)
	rng := rand.New(rand.NewPCG(1, 1))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
	given := []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉萍红华建国文斌宇浩凯鹏飞鑫波")
	places := [][2]string{{"广东省", "深圳市"}, {"广东省", "广州市"}, {"浙江省", "杭州市"}, {"江苏省", "南京市"}, {"北京市", "北京市"},
		{"上海市", "上海市"}, {"四川省", "成都市"}, {"湖北省", "武汉市"}}
	products := []string{"保养套餐", "机油", "轮胎", "延保", "精品脚垫", "贴膜", "车险", "钣喷"}
	err := writeLines(cpath, "客户编号,姓名,手机,邮箱,性别,生日,省份,城市,标签,阶段\n", n, func(w *bufio.Writer, i int) {
		p := places[rng.IntN(len(places))]
		name := string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
		if rng.IntN(2) == 0 {
			name += string(given[rng.IntN(len(given))])
		}
		fmt.Fprintf(w, "C%07d,%s,1%d%09d,c%d@example.com,%s,%d-%02d-%02d,%s,%s,%s,%s\n", i, name, 3+rng.IntN(7), i, i,
			[]string{"男", "女"}[rng.IntN(2)], 1950+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28), p[0], p[1],
			[]string{"车主", `"车主,VIP"`, "", "意向"}[rng.IntN(4)], []string{"保有客户", "意向客户", "流失客户"}[rng.IntN(3)])
	})
	if err != nil {
		return err
	}
	return writeLines(tpath, "订单号,客户编号,日期,金额,数量,产品\n", n*10, func(w *bufio.Writer, i int) {
		c := (i * 7919) % n
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(700*24*60)) * time.Minute)
		fmt.Fprintf(w, "D%08d,C%07d,%s,%d.%02d,%d,%s\n", i, c, day.Format("2006-01-02 15:04"), 50+rng.IntN(5000), rng.IntN(100),
			1+rng.IntN(3), products[rng.IntN(len(products))])
	})
}

func writeLines(path, header string, n int, line func(w *bufio.Writer, i int)) error {
	f, err := os.Create(path + ".part")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(header)
	for i := range n {
		line(w, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".part", path)
}

// bareImport reads both files into the same rows the import writes and
// times only writing them into tables with the same columns and nothing
// else: no index, no foreign key, no search key, no ledger.
func bareImport(ctx context.Context, db, cpath, tpath string) (customers, transactions time.Duration, err error) {
	d, err := sqlstore.ParseDSN(db)
	if err != nil {
		return 0, 0, err
	}
	var w bareWriter
	if d.Driver == "sqlite" {
		w, err = openBareSQLite(ctx, d.Path)
	} else {
		w, err = openBarePostgres(ctx, db)
	}
	if err != nil {
		return 0, 0, err
	}
	defer w.close()
	var next int64
	ids := map[string]int64{}
	now := time.Now()
	customers, err = bareFile(ctx, w, cpath, importer.Customers, func(r *importer.Row, b *kewei.Batch) {
		c := r.Customer
		next++
		c.ID, c.CreatedAt, c.UpdatedAt, c.Version = next, now, now, 1
		ids[c.ExternalID] = c.ID
		b.Customers = append(b.Customers, c)
	})
	if err != nil {
		return 0, 0, err
	}
	transactions, err = bareFile(ctx, w, tpath, importer.Transactions, func(r *importer.Row, b *kewei.Batch) {
		t := r.Transaction
		next++
		t.ID, t.CustomerID, t.CreatedAt, t.UpdatedAt, t.Version = next, ids[r.CustomerRef], now, now, 1
		b.Transactions = append(b.Transactions, t)
	})
	return customers, transactions, err
}

// bareFile parses a file as the import does and returns the time spent
// writing its rows, in batches of the import's size.
func bareFile(ctx context.Context, w bareWriter, path string, kind importer.Kind, add func(*importer.Row, *kewei.Batch)) (time.Duration, error) {
	t, _, err := importer.OpenFile(path)
	if err != nil {
		return 0, err
	}
	defer t.Close()
	header, _, err := t.Next()
	if err != nil {
		return 0, err
	}
	m, err := importer.Map(kind, header, nil, nil)
	if err != nil {
		return 0, err
	}
	p := importer.NewParser(m, time.UTC, nil)
	var spent time.Duration
	b := &kewei.Batch{}
	flush := func() error {
		tables := sqlstore.BatchRows(b)
		start := time.Now()
		err := w.write(ctx, tables)
		spent += time.Since(start)
		b = &kewei.Batch{}
		return err
	}
	for {
		rec, line, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		if r, _ := p.Parse(line, rec); r != nil {
			add(r, b)
		}
		if b.Rows() == importer.DefaultBatchLines {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	return spent, flush()
}

func writeImportReport(o options, db string, runs []importRun, started time.Time) error {
	d, _ := sqlstore.ParseDSN(db)
	start, end := "<!-- bench:import-"+d.Driver+":start -->", "<!-- bench:import-"+d.Driver+":end -->"
	var b strings.Builder
	name := map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}[d.Driver]
	fmt.Fprintf(&b, "%s\n### Import from CSV, %s\n\n", start, name)
	fmt.Fprintf(&b, "Measured %s on %s, commit %s. Command: `go run ./bench --import --db %s --customers %d`.\n\n",
		started.Format("2006-01-02"), machine(), commit(), redact(o.db), o.customers)
	fmt.Fprintf(&b, "| file | rows | size | `kewei import` | rows/s | peak memory | bare load of the same rows | Kewei ÷ bare | goal |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		rate := float64(r.rows) / r.took.Seconds()
		var goal string
		switch {
		case d.Driver == "sqlite" && r.kind == "customers":
			goal = "≥ 100,000 rows/s: " + verdict(rate >= 100000)
		case d.Driver == "sqlite":
			goal = "≥ 250,000 rows/s: " + verdict(rate >= 250000)
		default:
			goal = "≥ 70% of the bare COPY's speed: " + verdict(r.bare.Seconds()/r.took.Seconds() >= 0.7)
		}
		goal += "; peak ≤ 500 MB: " + verdict(r.peakKB <= 500*1024)
		fmt.Fprintf(&b, "| %s | %s | %d MB | %s | %s | %d MB | %s | %.2f× | %s |\n", r.kind, strconv.Itoa(r.rows), r.fileSize>>20,
			r.took.Round(100*time.Millisecond), strconv.Itoa(int(rate)), r.peakKB/1024, r.bare.Round(100*time.Millisecond),
			r.took.Seconds()/max(r.bare.Seconds(), 0.001), goal)
	}
	b.WriteString(end)
	return writeSection(o.out, start, end, b.String())
}
