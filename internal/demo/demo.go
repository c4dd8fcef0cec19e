// Package demo makes the demonstration data set every benchmark uses:
// Chinese names and mobile numbers, provinces and cities, dealership and
// bank customers with holdings, transactions whose spend follows a
// Pareto-like curve, two years of interactions and a share of lost
// customers. The same options give the same data.
package demo

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/kewei-crm/kewei"
)

// Options say what to make.
type Options struct {
	Customers    int
	Transactions int // in all; ten per customer when 0
	Seed         uint64
	AsOf         time.Time // the data set's "today"
	Flavour      string    // mixed (default), dealership or bank
	Owners       []int64   // users who own the customers; a few stay in the shared pool
	BatchSize    int       // customers per batch; 2000 when 0
	NewID        func() int64
}

// Flavours lists the kinds of business the demo can imitate.
var Flavours = []string{"mixed", "dealership", "bank"}

// Generate makes the data set and hands it to emit batch by batch, customers
// in id order with their records.
func Generate(ctx context.Context, opt Options, emit func(*kewei.Batch) error) error {
	if opt.Transactions == 0 {
		opt.Transactions = 10 * opt.Customers
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	if opt.Flavour == "" {
		opt.Flavour = "mixed"
	}
	g := &gen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))}
	stages := make([]kewei.Stage, opt.Customers)
	buyers := 0
	for i := range stages {
		switch u := g.rng.Float64(); {
		case u < 0.18:
			stages[i] = kewei.StageProspect
		case u < 0.30:
			stages[i] = kewei.StageLost
			buyers++
		default:
			stages[i] = kewei.StageCustomer
			buyers++
		}
	}
	leftTx, leftBuyers := opt.Transactions, buyers
	batch := &kewei.Batch{}
	for i, stage := range stages {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		n := 0
		if stage != kewei.StageProspect {
			n = leftTx
			if leftBuyers > 1 {
				n = min(leftTx, int(math.Round(float64(leftTx)/float64(leftBuyers)*g.weight())))
			}
			leftTx -= n
			leftBuyers--
		}
		g.customer(batch, stage, n)
		if len(batch.Customers) == opt.BatchSize || i == len(stages)-1 {
			if err := emit(batch); err != nil {
				return err
			}
			batch = &kewei.Batch{}
		}
	}
	return nil
}

type gen struct {
	opt Options
	rng *rand.Rand
}

// weight is a customer's share of purchases relative to the mean: log-normal
// with mean 1, cut at 25.
func (g *gen) weight() float64 {
	const sigma = 0.9
	return min(25, math.Exp(g.rng.NormFloat64()*sigma-sigma*sigma/2))
}

// value is how much a customer spends per purchase relative to others: a
// Pareto draw (alpha 1.6), which with the weights puts most revenue with
// the top fifth of customers.
func (g *gen) value() float64 {
	return min(30, math.Pow(1-g.rng.Float64(), -1/1.6))
}

func pick[T any](g *gen, list []T) T { return list[g.rng.IntN(len(list))] }

func pickWeighted[T any](g *gen, list []weighted[T]) T {
	total := 0.0
	for _, x := range list {
		total += x.w
	}
	u := g.rng.Float64() * total
	for _, x := range list {
		if u -= x.w; u < 0 {
			return x.v
		}
	}
	return list[len(list)-1].v
}

// between returns a random instant in [from, to).
func (g *gen) between(from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	d := to.Sub(from)
	return from.Add(time.Duration(g.rng.Int64N(int64(d)))).Truncate(time.Second)
}

func (g *gen) money(min, max float64) kewei.Money {
	return kewei.Money(math.Round((min + g.rng.Float64()*(max-min)) * 100))
}
