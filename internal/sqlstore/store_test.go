package sqlstore_test

import (
	"context"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

var sys = kewei.WithActor(context.Background(), kewei.SystemActor)

// mustUser creates a user with the role and returns a context acting as it.
func mustUser(t *testing.T, db *sqlstore.DB, name string, role kewei.Role) (context.Context, *kewei.User) {
	t.Helper()
	u := &kewei.User{Name: name, DisplayName: name, Role: role}
	if err := sqlstore.NewUserService(db).CreateUser(sys, u, "correct horse battery"); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	a, err := db.ActorFor(sys, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return kewei.WithActor(context.Background(), a), u
}

// mustCustomer stores c and fails the test on error.
func mustCustomer(t *testing.T, ctx context.Context, db *sqlstore.DB, c *kewei.Customer) *kewei.Customer {
	t.Helper()
	if err := sqlstore.NewCustomerService(db).CreateCustomer(ctx, c); err != nil {
		t.Fatalf("create customer %s: %v", c.Name, err)
	}
	return c
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kewei.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestMigrationsMatch(t *testing.T) {
	lite, err := sqlstore.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %v, postgres has %v", lite, pg)
	}
	for i := range lite {
		if lite[i] != pg[i] {
			t.Errorf("migration %d: sqlite %s, postgres %s", i, lite[i], pg[i])
		}
		if len(lite[i]) < 5 || lite[i][4] != '_' {
			t.Errorf("migration %s: name it NNNN_what.sql", lite[i])
		}
	}
}

func TestOpenRefusesStalePostgres(t *testing.T) {
	dsn := sqltest.MustDSN(t, "postgres")
	_, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	wantCode(t, err, kewei.EUNAVAILABLE)
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open a migrated database: %v", err)
	}
	db.Close()
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		in, driver string
		ok         bool
	}{
		{"sqlite:./kewei.db", "sqlite", true},
		{"sqlite:///tmp/x.db", "sqlite", true},
		{"postgres://postgres@127.0.0.1/test", "postgres", true},
		{"postgresql://h/db", "postgres", true},
		{"sqlite:", "", false},
		{"mysql://x", "", false},
		{"kewei.db", "", false},
	} {
		d, err := sqlstore.ParseDSN(tc.in)
		if (err == nil) != tc.ok || d.Driver != tc.driver {
			t.Errorf("ParseDSN(%q) = %+v, %v", tc.in, d, err)
		}
	}
}

func TestIDsAreUniqueAcrossProcesses(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		seen := map[int64]bool{}
		for i := 0; i < 10000; i++ {
			id := db.NewID()
			if seen[id] || id <= 0 || id >= 1<<53 {
				t.Fatalf("id %d repeated or out of range", id)
			}
			seen[id] = true
		}
	})
}
