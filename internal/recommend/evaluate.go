package recommend

// Evaluation is how recommendations made from training lines did against
// what the customers bought afterwards.
type Evaluation struct {
	K         int     `json:"k"`
	NewOnly   bool    `json:"new_only"`
	Customers int     `json:"customers" doc:"Customers in both the training and the test lines."`
	HitRate   float64 `json:"hit_rate" doc:"Share of them who bought at least one recommended product."`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// Popularity is the same for the popularity baseline.
	Popularity *Evaluation `json:"popularity,omitempty"`
}

// Evaluate trains on train and judges k recommendations per customer
// against test, for the customers present in both; with newOnly, neither
// the recommendations nor the products that count as bought include what
// the customer bought in train.
func Evaluate(train, test []Line, k int, newOnly bool, o Options) (*Evaluation, *Model) {
	m := Train(train, o)
	bought := map[string]map[string]bool{}
	for _, l := range test {
		if _, known := m.who[l.Customer]; !known {
			continue
		}
		if p, ok := m.index[l.Product]; ok && newOnly && m.holds(l.Customer, p) {
			continue
		}
		if bought[l.Customer] == nil {
			bought[l.Customer] = map[string]bool{}
		}
		bought[l.Customer][l.Product] = true
	}
	// Customers who bought only what they had before still count, with
	// nothing to find, when new products are judged.
	for _, l := range test {
		if _, known := m.who[l.Customer]; known && bought[l.Customer] == nil {
			bought[l.Customer] = map[string]bool{}
		}
	}
	ev := judge(bought, k, newOnly, func(c string) []Rec { return m.Recommend(c, k, newOnly) })
	ev.Popularity = judge(bought, k, newOnly, func(c string) []Rec { return m.Popularity(c, k, newOnly) })
	return ev, m
}

func judge(bought map[string]map[string]bool, k int, newOnly bool, recs func(string) []Rec) *Evaluation {
	ev := &Evaluation{K: k, NewOnly: newOnly, Customers: len(bought)}
	for c, want := range bought {
		hits := 0
		for _, r := range recs(c) {
			if want[r.Product] {
				hits++
			}
		}
		if hits > 0 {
			ev.HitRate++
		}
		ev.Precision += float64(hits) / float64(k)
		if len(want) > 0 {
			ev.Recall += float64(hits) / float64(len(want))
		}
	}
	if ev.Customers > 0 {
		n := float64(ev.Customers)
		ev.HitRate, ev.Precision, ev.Recall = ev.HitRate/n, ev.Precision/n, ev.Recall/n
	}
	return ev
}
