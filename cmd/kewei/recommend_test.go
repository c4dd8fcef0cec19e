package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecommendEvaluate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Headers as a shop's export names them; a line without a customer
	// is skipped.
	train := write("train.csv", "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"+
		"1,tea,1,2026-01-02 10:00:00,3,a\n1,cup,2,2026-01-02 10:00:00,5,a\n2,tea,1,2026-01-05 10:00:00,3,b\n"+
		"3,tea,1,2026-01-06 10:00:00,3,\n4,cup,1,2026-01-07 11:00:00,5,c\n")
	test := write("test.csv", "客户编号,商品,日期,数量\nb,cup,2026-02-01,1\na,tea,2026-02-03,1\n")
	out, errOut, code := runCmd(t, "recommend", "evaluate", "--train", train, "--test", test, "--k", "1", "--new-only", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		TrainLines, TrainSkipped, Customers int
		HitRate                             float64 `json:"hit_rate"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// b (tea) is recommended the cup that a bought with tea, and buys it;
	// a has no new purchase to find.
	if rep.Customers != 2 || rep.HitRate != 0.5 || !strings.Contains(out, `"train_skipped": 1`) {
		t.Errorf("report %s", out)
	}
	bad := write("bad.csv", "customer,product,date\na,tea,yesterday\n")
	if _, errOut, code := runCmd(t, "recommend", "evaluate", "--train", bad, "--test", test); code == 0 || !strings.Contains(errOut, "row 2") {
		t.Errorf("a bad date: exit %d, %q", code, errOut)
	}
	if _, _, code := runCmd(t, "recommend", "evaluate", "--train", train); code != 2 {
		t.Errorf("no --test: exit %d", code)
	}
}
