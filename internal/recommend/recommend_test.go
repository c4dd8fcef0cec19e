package recommend

import (
	"fmt"
	"testing"
	"time"
)

// baskets: tea drinkers buy tea again and often cups; a newcomer has
// bought tea once.
func baskets() []Line {
	day := func(d int) time.Time { return time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	var out []Line
	for c := range 20 {
		who := fmt.Sprintf("c%02d", c)
		out = append(out, Line{Customer: who, Product: "tea", At: day(c)}, Line{Customer: who, Product: "tea", At: day(c + 30)})
		if c%4 != 0 {
			out = append(out, Line{Customer: who, Product: "cup", At: day(c + 1)})
		}
		if c%2 == 0 {
			out = append(out, Line{Customer: who, Product: "kettle", At: day(c + 2)})
		}
	}
	for c := range 30 {
		out = append(out, Line{Customer: fmt.Sprintf("p%02d", c), Product: "umbrella", At: day(60)})
	}
	out = append(out, Line{Customer: "new", Product: "tea", At: day(70)})
	return out
}

func TestRecommendReasons(t *testing.T) {
	m := Train(baskets(), Options{})
	// A tea drinker who never bought a cup: tea again (bought on two
	// days), then the cup that 75% of tea buyers bought too.
	recs := m.Recommend("c00", 3, false)
	if recs[0].Product != "tea" || recs[0].Kind != Again || recs[0].Times != 2 {
		t.Errorf("first %+v, want tea again, bought twice", recs[0])
	}
	found := false
	for _, r := range recs {
		if r.Product == "cup" {
			found = true
		}
	}
	if !found {
		t.Errorf("no cup among %+v", recs)
	}
	// New products only: never tea, and the cup with its reason.
	recs = m.Recommend("new", 2, true)
	for _, r := range recs {
		if r.Product == "tea" {
			t.Fatalf("recommended what the customer holds: %+v", recs)
		}
	}
	if recs[0].Product != "cup" || recs[0].Kind != Also || recs[0].Because != "tea" || recs[0].Share < 0.7 || recs[0].Share > 0.8 {
		t.Errorf("first new product %+v, want the cup because of tea, share 0.75", recs[0])
	}
	// Someone unknown gets what most customers bought.
	if recs := m.Recommend("stranger", 1, true); recs[0].Product != "umbrella" || recs[0].Kind != Popular || recs[0].Buyers != 30 {
		t.Errorf("for a stranger %+v", recs)
	}
	if pop := m.Popularity("new", 1, true); pop[0].Product != "umbrella" {
		t.Errorf("popularity %+v", pop)
	}
}

func TestEvaluateCounts(t *testing.T) {
	train := baskets()
	day := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	test := []Line{
		{Customer: "new", Product: "cup", At: day},      // a new product, recommended: a hit
		{Customer: "c00", Product: "tea", At: day},      // bought before: not new
		{Customer: "nobody", Product: "cup", At: day},   // not in train: not counted
		{Customer: "p00", Product: "umbrella", At: day}, // only what they had
	}
	ev, _ := Evaluate(train, test, 2, true, Options{})
	if ev.Customers != 3 || ev.HitRate != 1.0/3 {
		t.Errorf("new only: %+v", ev)
	}
	ev, _ = Evaluate(train, test, 2, false, Options{})
	if ev.Customers != 3 || ev.HitRate != 1 {
		t.Errorf("any product: %+v", ev)
	}
}
