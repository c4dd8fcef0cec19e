package value

import (
	"sort"
	"time"
)

// Activity is what a customer bought over the window the scores look at.
type Activity struct {
	CustomerID int64
	Last       time.Time // the latest purchase
	Count      int       // purchases (same-day purchases count once when the store merges them)
	Amount     float64   // the sum spent
}

// RFM is a customer's recency, frequency and monetary scores, 1 (worst) to
// 5 (best), and the segment they name.
type RFM struct {
	CustomerID int64   `json:"customer_id"`
	R          int     `json:"r"`
	F          int     `json:"f"`
	M          int     `json:"m"`
	Segment    string  `json:"segment"`
	Days       int     `json:"recency_days"`
	Count      int     `json:"frequency"`
	Amount     float64 `json:"monetary"`
}

// ScoreRFM scores every customer by quintile as of asOf. A score is
// 1 + ⌊5 × (customers strictly worse) ÷ n⌋: customers with the same
// value always get the same score, and a value shared by many customers
// (a single purchase, say) puts them all in the quintile where that value
// starts, so quintiles are not always equal in size. Recency is worse when
// the last purchase is older, frequency and money when they are smaller.
func ScoreRFM(acts []Activity, asOf time.Time) []RFM {
	n := len(acts)
	out := make([]RFM, n)
	days := make([]float64, n)
	counts := make([]float64, n)
	amounts := make([]float64, n)
	for i, a := range acts {
		d := int(asOf.Sub(a.Last).Hours() / 24)
		out[i] = RFM{CustomerID: a.CustomerID, Days: d, Count: a.Count, Amount: a.Amount}
		days[i] = -float64(d) // fewer days is better
		counts[i] = float64(a.Count)
		amounts[i] = a.Amount
	}
	r, f, m := quintiles(days), quintiles(counts), quintiles(amounts)
	for i := range out {
		out[i].R, out[i].F, out[i].M = r[i], f[i], m[i]
		out[i].Segment = Segment(r[i], f[i], m[i])
	}
	return out
}

// quintiles scores each value by how many values are strictly below it.
func quintiles(v []float64) []int {
	n := len(v)
	sorted := append([]float64(nil), v...)
	sort.Float64s(sorted)
	out := make([]int, n)
	for i, x := range v {
		below := sort.SearchFloat64s(sorted, x) // the first index holding x
		out[i] = 1 + 5*below/n
	}
	return out
}

// Segments, in the order reports list them.
const (
	Champions          = "champions"
	Loyal              = "loyal"
	PotentialLoyalists = "potential_loyalists"
	NewCustomers       = "new_customers"
	Promising          = "promising"
	NeedAttention      = "need_attention"
	AboutToSleep       = "about_to_sleep"
	AtRisk             = "at_risk"
	CannotLose         = "cannot_lose"
	Hibernating        = "hibernating"
	Lost               = "lost"
)

// SegmentNames lists every segment, best first.
var SegmentNames = []string{Champions, Loyal, PotentialLoyalists, NewCustomers, Promising,
	NeedAttention, AboutToSleep, AtRisk, CannotLose, Hibernating, Lost}

// Segment names a customer from the recency score and the mean of the
// frequency and monetary scores, after the common R × FM grid: recent and
// valuable are champions, valuable but long gone are the ones you cannot
// lose, gone and never worth much are lost.
func Segment(r, f, m int) string {
	fm := (f + m + 1) / 2 // rounded half up
	switch {
	case r >= 5 && fm >= 4:
		return Champions
	case r >= 3 && fm >= 4:
		return Loyal
	case r >= 4 && fm >= 2:
		return PotentialLoyalists
	case r >= 5:
		return NewCustomers
	case r == 4:
		return Promising
	case r == 3 && fm == 3:
		return NeedAttention
	case r == 3:
		return AboutToSleep
	case fm >= 5:
		return CannotLose
	case fm >= 3:
		return AtRisk
	case r == 2 || fm == 2:
		return Hibernating
	default:
		return Lost
	}
}
