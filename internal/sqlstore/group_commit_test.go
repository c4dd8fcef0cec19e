package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// holdWriter starts a write that waits until release is closed, and
// returns once it runs: the writes started meanwhile queue for one group.
func holdWriter(t *testing.T, db *sqlstore.DB) (release func(), done <-chan error) {
	running, hold, out := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		out <- db.Write(context.Background(), func(exec func(string, ...any) error) error {
			close(running)
			<-hold
			return exec(`INSERT INTO gc (k) VALUES ('first')`)
		})
	}()
	<-running
	return func() { close(hold) }, out
}

func TestGroupCommitKeepsEachWriteApart(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if err := db.ExecRaw(`CREATE TABLE gc (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		writes0, commits0 := db.WriteGroups()
		release, firstDone := holdWriter(t, db)
		// Behind it: writes that succeed, one that fails after writing, one
		// that panics, one whose request goes away mid-write (kept: it ran),
		// one that goes away before it starts (not run), one breaking a
		// unique key (undone alone).
		cancelled, cancel := context.WithCancel(context.Background())
		gone, goneCancel := context.WithCancel(context.Background())
		type outcome struct {
			name string
			err  error
			pan  any
		}
		results := make(chan outcome, 64)
		var wg sync.WaitGroup
		start := func(name string, ctx context.Context, fn func(exec func(string, ...any) error) error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						results <- outcome{name: name, pan: p}
					}
				}()
				results <- outcome{name: name, err: db.Write(ctx, fn)}
			}()
		}
		insert := func(k string) func(exec func(string, ...any) error) error {
			return func(exec func(string, ...any) error) error { return exec(`INSERT INTO gc (k) VALUES (?)`, k) }
		}
		for i := range 20 {
			start(fmt.Sprintf("ok%02d", i), context.Background(), insert(fmt.Sprintf("ok%02d", i)))
		}
		start("fails", context.Background(), func(exec func(string, ...any) error) error {
			if err := exec(`INSERT INTO gc (k) VALUES ('fails')`); err != nil {
				return err
			}
			return kewei.Errorf(kewei.EINVALID, "no")
		})
		start("panics", context.Background(), func(exec func(string, ...any) error) error {
			if err := exec(`INSERT INTO gc (k) VALUES ('panics')`); err != nil {
				return err
			}
			panic("boom")
		})
		start("cancelled", cancelled, func(exec func(string, ...any) error) error {
			cancel()
			return exec(`INSERT INTO gc (k) VALUES ('cancelled')`)
		})
		start("duplicate", context.Background(), insert("ok00"))
		start("gone", gone, insert("gone"))
		time.Sleep(200 * time.Millisecond) // let them queue
		goneCancel()
		release()
		if err := <-firstDone; err != nil {
			t.Fatalf("the first write: %v", err)
		}
		wg.Wait()
		close(results)
		got := map[string]outcome{}
		for r := range results {
			got[r.name] = r
		}
		for i := range 20 {
			if r := got[fmt.Sprintf("ok%02d", i)]; r.err != nil || r.pan != nil {
				t.Errorf("ok%02d: %+v", i, r)
			}
		}
		if r := got["fails"]; kewei.ErrorCode(r.err) != kewei.EINVALID {
			t.Errorf("the failing write returned %+v", r)
		}
		if r := got["panics"]; r.pan != "boom" {
			t.Errorf("the panicking write: %+v, want its panic raised again in its goroutine", r)
		}
		if r := got["cancelled"]; r.err != nil {
			t.Errorf("a write whose request went away while it ran: %v, want it kept", r.err)
		}
		if r := got["gone"]; !errors.Is(r.err, context.Canceled) {
			t.Errorf("a write whose request went away before it ran: %+v", r)
		}
		// Two writes both inserting ok00: one of them is refused.
		if r := got["duplicate"]; kewei.ErrorCode(r.err) != kewei.ECONFLICT && kewei.ErrorCode(got["ok00"].err) != kewei.ECONFLICT {
			t.Errorf("the duplicate key: %+v", r)
		}
		keys, err := db.Keys("gc")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"fails", "panics", "gone"} {
			if slices.Contains(keys, k) {
				t.Errorf("%s was kept: %v", k, keys)
			}
		}
		if len(keys) != 22 || !slices.Contains(keys, "cancelled") || !slices.Contains(keys, "first") {
			t.Errorf("kept %d keys %v, want first, cancelled and ok00…ok19", len(keys), keys)
		}
		writes, commits := db.WriteGroups()
		if w, c := writes-writes0, commits-commits0; w != 22 || c > 4 {
			t.Errorf("%d writes in %d commits; want 22 in a few", w, c)
		}
	})
}

// A lost connection (PostgreSQL) or a failed commit fails every write of
// the group, and the next group starts clean.
func TestGroupCommitAfterAFailedCommit(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if err := db.ExecRaw(`CREATE TABLE gc (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		// A deferred foreign key breaks only at commit.
		if err := db.ExecRaw(`CREATE TABLE gc_child (k TEXT PRIMARY KEY, parent TEXT REFERENCES gc (k) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
			t.Fatal(err)
		}
		release, firstDone := holdWriter(t, db)
		orphan, bystander := make(chan error, 1), make(chan error, 1)
		go func() {
			orphan <- db.Write(context.Background(), func(exec func(string, ...any) error) error {
				return exec(`INSERT INTO gc_child (k, parent) VALUES ('orphan', 'nobody')`)
			})
		}()
		go func() {
			bystander <- db.Write(context.Background(), func(exec func(string, ...any) error) error {
				return exec(`INSERT INTO gc (k) VALUES ('bystander')`)
			})
		}()
		time.Sleep(200 * time.Millisecond)
		release()
		first, orphaned, by := <-firstDone, <-orphan, <-bystander
		keys, _ := db.Keys("gc")
		// Whatever was acknowledged is there; whatever failed is not.
		for k, err := range map[string]error{"first": first, "bystander": by} {
			if (err == nil) != slices.Contains(keys, k) {
				t.Errorf("%s: err %v, kept %v", k, err, keys)
			}
		}
		if orphaned == nil {
			t.Fatalf("the orphan was committed: keys %v", keys)
		}
		if err := db.Write(context.Background(), func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO gc (k) VALUES ('after')`)
		}); err != nil {
			t.Fatalf("the next write: %v", err)
		}
		keys, _ = db.Keys("gc")
		if !slices.Contains(keys, "after") {
			t.Fatalf("after a failed group: %v", keys)
		}
	})
}
