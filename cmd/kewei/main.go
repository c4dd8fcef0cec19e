// Command kewei is Kewei, the customer-maintenance CRM: the server and the
// operator's commands in one binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without them

	"github.com/kewei-crm/kewei"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// env is the program's surroundings, replaced in tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, receives the server's address once it listens.
	ready func(addr string)
}

// command is one subcommand.
type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "kewei serve [--addr HOST:PORT] [--db DSN]", "run the server (creates and migrates an SQLite database on first start)", runServe},
		{"migrate", "kewei migrate [--db DSN]", "apply pending database migrations (needed for PostgreSQL)", runMigrate},
		{"backup", "kewei backup FILE [--db DSN]", "write a consistent copy of the database to a new file while it serves (SQLite VACUUM INTO, PostgreSQL one snapshot); restores into either database", runBackup},
		{"restore", "kewei restore FILE [--db DSN]", "fill a new database with a backup in one transaction (a database with data is refused: an audit trail is never deleted); an older backup is migrated first", runRestore},
		{"demo", "kewei demo --customers N [--seed S] [--transactions T] [--flavour mixed|dealership|bank]", "fill the database with a reproducible demo data set", runDemo},
		{"user", "kewei user add --name N --role R | list | passwd --name N", "add, list and reset users", runUser},
		{"token", "kewei token create --user N [--name T] [--days D] | list --user N | revoke --id ID", "manage API tokens for scripts", runToken},
		{"team", "kewei team add --name N [--parent P] [--manager M] | list", "add and list teams", runTeam},
		{"audit", "kewei audit verify", "walk the audit log's hash chain; exits non-zero at the first broken entry", runAudit},
		{"privacy", "kewei privacy retention --lost-years N", "erase lost customers untouched for N years", runPrivacy},
		{"import", "kewei import customers|contacts|holdings|transactions|interactions|products FILE [--dry-run] [--mapping F] [--create-customers] [--again] [--report F] [--as USER]",
			"import a CSV (UTF-8 or GBK) or XLSX file; resumes where a stopped import of the same file left off", runImport},
		{"export", "kewei export customers [--format csv|xlsx|vcf] [--out F] [--as USER] [--q Q] [--tier A,B] [--stage S] [--owner ID|none] [--region P/C] [--tag T]",
			"export the customers a filter selects, masked as the user's scope requires; audited", runExport},
		{"tier", "kewei tier run [--as-of DATE] [--window 12m|all] | report [--format text|json] [--as USER] [--team ID] [--province P] [--line L]",
			"re-tier every customer now (tier rules, overrides, RFM), or print the value report: pyramids, Pareto shares, RFM segments", runTier},
		{"clv", "kewei clv fit --calibration-end DATE [--format text|json] [--out F.csv] [--weeks N] [--months M] [--discount R]",
			"fit BG/NBD and Gamma-Gamma lifetime-value models on the transactions; per-customer predictions to CSV", runCLV},
		{"churn", "kewei churn evaluate --train FILE [--test FILE | --cv K] --label COL [--positive VALUE] [--id COL] [--drop COLS] [--model blend|gbdt|logistic] [--seed S] [--format text|json]" +
			" | train [--as-of DATE] [--horizon DAYS] [--label stage,contract,inactive] [--line-days LINE=DAYS,…] [--format text|json] | score [--format text|json]",
			"measure the churn model on any labelled file (ROC AUC, PR AUC, accuracy, F1); train it on the CRM's history; score every customer", runChurn},
		{"recommend", "kewei recommend evaluate --train FILE --test FILE [--k 10] [--new-only] [--mapping F] [--format text|json]",
			"learn recommendations from transaction lines and judge them on the lines that follow: hit rate, precision and recall at k beside popularity", runRecommend},
		{"playbook", "kewei playbook add --template KEY [--enable] | list",
			"add a maintenance playbook from a built-in template (dealership_delivery, prospect_followup, bank_tiers, hotel_vip, churn_retention), or list them", runPlaybook},
		{"tasks", "kewei tasks run [--now TIME]",
			"plan the follow-up tasks that the enabled playbooks want by now (serve also does this each day at KEWEI_TASKS_AT)", runTasks},
		{"config", "kewei config [flags]", "print the configuration and where each value comes from, secrets masked", runConfig},
		{"version", "kewei version", "print the version", runVersion},
		{"help", "kewei help [command]", "show this help or a command's flags", nil},
	}
}

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		if len(rest) > 0 {
			name, rest = rest[0], []string{"-h"}
		} else {
			usage(e.stdout)
			return 0
		}
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		err := c.run(ctx, e, rest)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errBroken), errors.Is(err, errRowsFailed):
			return 1
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage) && len(rest) == 1 && rest[0] == "-h":
			// `kewei help COMMAND` of a command with subcommands.
			fmt.Fprintf(e.stdout, "usage: %s\n\n%s\n", c.usage, c.summary)
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(e.stderr, "usage: %s\n", c.usage)
			return 2
		}
		fmt.Fprintf(e.stderr, "kewei %s: %s\n", name, describe(err))
		return 1
	}
	fmt.Fprintf(e.stderr, "kewei: unknown command %q\n\n", name)
	usage(e.stderr)
	return 2
}

var errUsage = errors.New("usage")

// describe turns an error into one line for the operator.
func describe(err error) string {
	if code := kewei.ErrorCode(err); code != kewei.EINTERNAL {
		return kewei.ErrorMessage(err)
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Kewei (客维) %s — the customer-maintenance CRM.\n\nCommands:\n", kewei.Version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command reads its settings from flags, KEWEI_* variables and the --config file:")
	for _, s := range settings {
		fmt.Fprintf(w, "  --%-15s %-22s %s (default %s)\n", s.name, s.env, s.help, s.def)
	}
	fmt.Fprintln(w, "\nRun `kewei help COMMAND` for a command's flags.")
}

// newFlags returns a flag set for a command with the configuration flags.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kewei "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addConfigFlags(fs)
	return fs
}

// parse parses args and loads the configuration.
func parse(e *env, fs *flag.FlagSet, args []string) (*Config, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errUsage
	}
	return loadConfig(fs, e.getenv)
}

// parseArgs parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseArgs(e *env, fs *flag.FlagSet, args []string) (*Config, []string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, err
			}
			return nil, nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	cfg, err := loadConfig(fs, e.getenv)
	return cfg, pos, err
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintf(e.stdout, "kewei %s\n", kewei.Version)
	return nil
}

func runConfig(ctx context.Context, e *env, args []string) error {
	cfg, err := parse(e, newFlags(e, "config"), args)
	if err != nil {
		return err
	}
	cfg.print(e.stdout)
	return nil
}
