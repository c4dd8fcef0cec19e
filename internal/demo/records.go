package demo

import (
	"math"
	"time"

	"github.com/kewei-crm/kewei"
)

// dealerRecords gives a car buyer the car, its delivery date, and purchases
// of services, accessories and insurance after it.
func (g *gen) dealerRecords(b *kewei.Batch, c *kewei.Customer, created, active time.Time, purchases int) {
	if purchases == 0 {
		return
	}
	v := g.value()
	car := pick(g, cars)
	delivered := g.between(created, created.AddDate(0, 1, 0))
	if delivered.After(active) {
		delivered = active
	}
	delivery := day(delivered)
	price := g.money(car.min, car.max)
	h := &kewei.Holding{ID: g.opt.NewID(), CustomerID: c.ID, Product: car.name, Category: car.category,
		Serial: vin(g), Value: price, Status: kewei.HoldingActive, AcquiredOn: delivery,
		FirstServiceDue: day(delivered.AddDate(0, 3, 0)), RenewalDue: day(delivered.AddDate(1, 0, 0)),
		CreatedAt: delivered, UpdatedAt: delivered}
	if c.Stage == kewei.StageLost {
		h.Status, h.EndedOn = kewei.HoldingEnded, day(active)
	}
	b.Holdings = append(b.Holdings, h)
	c.ImportantDates = append(c.ImportantDates, kewei.ImportantDate{Kind: "delivery", Date: delivery})
	g.purchase(b, c, delivered, car.name, price, 0.03+0.05*g.rng.Float64(), "store")
	for range purchases - 1 {
		p := pick(g, carServices)
		amount := kewei.Money(math.Round(float64(g.money(p.min, p.max)) * (0.5 + 0.5*v)))
		g.purchase(b, c, g.between(delivered, active), p.name, amount, 0.3+0.2*g.rng.Float64(), "service")
	}
}

// bankRecords gives a bank customer one to three products with balances and
// purchases of wealth products, funds and insurance.
func (g *gen) bankRecords(b *kewei.Batch, c *kewei.Customer, created, active time.Time, purchases int) {
	if purchases == 0 {
		return
	}
	v := g.value()
	opened := g.between(created, created.AddDate(0, 2, 0))
	if opened.After(active) {
		opened = active
	}
	c.ImportantDates = append(c.ImportantDates, kewei.ImportantDate{Kind: "account_opening", Date: day(opened)})
	for range 1 + g.rng.IntN(3) {
		p := pick(g, bankProducts)
		bal := kewei.Money(math.Round(float64(g.money(p.min, p.max)) * v / 3))
		start := g.between(opened, active)
		h := &kewei.Holding{ID: g.opt.NewID(), CustomerID: c.ID, Product: p.name, Category: p.category,
			Serial: "62" + digits(g, 14), Value: bal, Status: kewei.HoldingActive,
			AcquiredOn: day(start), RenewalDue: day(start.AddDate(1+g.rng.IntN(3), 0, 0)),
			CreatedAt: start, UpdatedAt: start}
		if c.Stage == kewei.StageLost {
			h.Status, h.EndedOn = kewei.HoldingEnded, day(active)
		}
		b.Holdings = append(b.Holdings, h)
	}
	for range purchases {
		p := pick(g, bankFees)
		amount := kewei.Money(math.Round(float64(g.money(p.min, p.max)) * v / 2))
		g.purchase(b, c, g.between(opened, active), p.name, amount, 0.005+0.015*g.rng.Float64(), "branch")
	}
}

func (g *gen) purchase(b *kewei.Batch, c *kewei.Customer, at time.Time, product string, amount kewei.Money, margin float64, channel string) {
	profit := kewei.Money(math.Round(float64(amount) * margin))
	b.Transactions = append(b.Transactions, &kewei.Transaction{ID: g.opt.NewID(), CustomerID: c.ID, OccurredAt: at,
		Amount: amount, Profit: &profit, Product: product, Quantity: 1, Channel: channel, Region: c.Province,
		CreatedAt: at, UpdatedAt: at})
}

// interactions spreads calls, messages and visits over the last two years
// of the customer's active time; lost customers go quiet.
func (g *gen) interactions(b *kewei.Batch, c *kewei.Customer, created, active time.Time) {
	from := created
	if two := g.opt.AsOf.AddDate(-2, 0, 0); from.Before(two) {
		from = two
	}
	if !active.After(from) {
		from = created
	}
	n := g.rng.IntN(7) // mean 3
	var last time.Time
	for range n {
		kind := pickWeighted(g, interactionKinds)
		nt := pick(g, notes[kind])
		at := g.between(from, active)
		purpose := []kewei.Purpose{kewei.PurposeRelationship, kewei.PurposeInformation, kewei.PurposePolicy}[g.rng.IntN(3)]
		b.Interactions = append(b.Interactions, &kewei.Interaction{ID: g.opt.NewID(), CustomerID: c.ID,
			Kind: kewei.InteractionKind(kind), Direction: kewei.DirectionOut, Purpose: purpose, OccurredAt: at,
			UserID: c.OwnerID, Summary: nt.summary, Outcome: nt.outcome, CreatedAt: at, UpdatedAt: at})
		if at.After(last) {
			last = at
		}
	}
	if !last.IsZero() {
		c.LastContactAt = &last
	}
}

var shanghai = time.FixedZone("CST", 8*3600)

// day is the calendar date of t in China, where the demo business is.
func day(t time.Time) kewei.Date { return kewei.DateOf(t.In(shanghai)) }

func vin(g *gen) string {
	const chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	b := []byte("LSV")
	for range 14 {
		b = append(b, chars[g.rng.IntN(len(chars))])
	}
	return string(b)
}

func digits(g *gen, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}
