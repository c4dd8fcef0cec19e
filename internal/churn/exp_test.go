package churn

import (
	"os"
	"strconv"
	"testing"
)

func TestExp(t *testing.T) {
	if os.Getenv("EXP") == "" {
		t.Skip()
	}
	d := mustReadCSV(t, telcoPath, Columns{Label: "Churn", ID: "customerID"})
	p := DefaultParams()
	if s := os.Getenv("LR"); s != "" {
		p.LearningRate, _ = strconv.ParseFloat(s, 64)
	}
	if s := os.Getenv("PAT"); s != "" {
		p.Patience, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("FOLDS"); s != "" {
		p.Folds, _ = strconv.Atoi(s)
	}
	ev, err := CrossValidate(d, 5, Blend, p)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Train(d, Blend, p)
	t.Logf("blend: ROC AUC %.4f; %d trees", ev.ROCAUC, len(m.Trees.Trees))
}
