// Command bench measures Kewei on the demo data set and writes the figures
// to docs/benchmarks.md. Each workload runs through the real HTTP API and,
// in the same run, as the bare database queries the store issued for it, so
// the ratio shows what Kewei adds to the raw limit.
//
//	go run ./bench                                   # SQLite, 1,000,000 customers
//	go run ./bench --db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=kewei_bench'
//	go run ./bench --customers 100000 --reuse        # keep an existing data set
//	go run ./bench --import                          # import 1,000,000 customers and 10,000,000 transactions from CSV
//	go run ./bench --churn --db sqlite:bench/out/churn100k.db  # train on a 100,000-customer demo, then score
//	go run ./bench --churn                           # score the 1,000,000 customers with the model trained above
//	go run ./bench --recommend                       # train the recommender on the data set, time recommendations
//	go run ./bench --load                            # kewei serve in its own process under a mixed HTTP load
//	go run ./bench --all                             # everything: imports, the data set and the API, tiers, tasks, recommender, load, churn
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var o options
	flag.StringVar(&o.db, "db", "sqlite:bench/out/bench.db", "the database to measure: sqlite:PATH or a postgres:// URL")
	flag.IntVar(&o.customers, "customers", 1_000_000, "customers in the demo data set (ten transactions each)")
	flag.BoolVar(&o.reuse, "reuse", false, "use the data set already in the database if it has the customers")
	flag.BoolVar(&o.bare, "bare-load", true, "also time a bare load of the same rows, for the load ratio")
	flag.IntVar(&o.iterations, "n", 400, "measured runs of each workload")
	flag.StringVar(&o.out, "out", "docs/benchmarks.md", "the Markdown file whose section for this database is rewritten")
	flag.BoolVar(&o.imports, "import", false, "measure imports from CSV instead of the demo and the API")
	flag.BoolVar(&o.tiers, "tier", false, "measure re-tiering and a BG/NBD fit on the data already in the database")
	flag.BoolVar(&o.tasks, "tasks", false, "measure the daily task planning on the customers already in the database")
	flag.BoolVar(&o.recommend, "recommend", false, "measure training the recommender and recommending on the data already in the database")
	flag.BoolVar(&o.all, "all", false, "everything, each rewriting its section: imports (into a database beside this one), the data set (built or reused) and the API on it, re-tiering, the daily tasks, the recommender, the mixed load, and churn (trained on a 100,000-customer set beside it, scoring this one)")
	flag.BoolVar(&o.load, "load", false, "run kewei serve on the data already in the database and drive a mixed HTTP load at it")
	flag.BoolVar(&o.churn, "churn", false, "measure churn training (data sets up to 150,000 customers) and scoring on the data already in the database")
	flag.Parse()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	db         string
	customers  int
	reuse      bool
	bare       bool
	iterations int
	out        string
	imports    bool
	tiers      bool
	tasks      bool
	churn      bool
	recommend  bool
	load       bool
	all        bool
}

func run(ctx context.Context, o options) error {
	if o.imports {
		return importBench(ctx, o)
	}
	if o.tiers {
		return tierBench(ctx, o)
	}
	if o.tasks {
		return tasksBench(ctx, o)
	}
	if o.churn {
		return churnBench(ctx, o)
	}
	if o.recommend {
		return recommendBench(ctx, o)
	}
	if o.load {
		return loadBench(ctx, o)
	}
	start := time.Now()
	if o.all {
		// Imports first, into a database of their own.
		fmt.Println("== imports")
		if err := importBench(ctx, o); err != nil {
			return fmt.Errorf("imports: %w", err)
		}
	}
	rep := &report{db: o.db, customers: o.customers, started: start}
	if err := prepare(ctx, o, rep); err != nil {
		return err
	}
	if err := measure(ctx, o, rep); err != nil {
		return err
	}
	fmt.Printf("done in %s\n", time.Since(start).Round(time.Second))
	if err := rep.write(o.out); err != nil || !o.all {
		return err
	}
	// The rest on the same data set, each beside its own bare limit.
	for _, step := range []struct {
		name string
		fn   func(context.Context, options) error
	}{{"re-tiering", tierBench}, {"daily tasks", tasksBench}, {"recommender", recommendBench}, {"mixed load", loadBench},
		{"churn", allChurn}} {
		fmt.Printf("== %s\n", step.name)
		if err := step.fn(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	fmt.Printf("all done in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// allChurn trains the churn model where training is measured (a data set
// of 100,000 customers beside the big one, built by kewei demo), then
// scores the big one with it.
func allChurn(ctx context.Context, o options) error {
	if o.customers > 150_000 {
		small := o
		small.db, small.customers, small.reuse, small.bare = beside(o.db, "churn100k"), 100_000, true, false
		if err := prepare(ctx, small, &report{}); err != nil {
			return err
		}
		if err := churnBench(ctx, small); err != nil {
			return err
		}
	}
	return churnBench(ctx, o)
}
