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

// holdWriters starts a write on every committer that waits until release
// is called, and returns once they run: the writes started meanwhile queue
// for the next groups. The first inserts "first", the others "held1"….
func holdWriters(t *testing.T, db *sqlstore.DB) (release func(), done <-chan error) {
	hold, out := make(chan struct{}), make(chan error, db.Committers())
	var running sync.WaitGroup
	for i := range db.Committers() {
		running.Add(1)
		key := "first"
		if i > 0 {
			key = fmt.Sprintf("held%d", i)
		}
		go func() {
			out <- db.Write(context.Background(), func(exec func(string, ...any) error) error {
				running.Done()
				<-hold
				return exec(`INSERT INTO gc (k) VALUES (?)`, key)
			})
		}()
	}
	running.Wait()
	first := make(chan error, 1)
	return func() {
		close(hold)
		var err error
		for range db.Committers() {
			err = errors.Join(err, <-out)
		}
		first <- err
	}, first
}

func TestGroupCommitKeepsEachWriteApart(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if err := db.ExecRaw(`CREATE TABLE gc (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		writes0, commits0 := db.WriteGroups()
		release, firstDone := holdWriters(t, db)
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
		go release()
		if err := <-firstDone; err != nil {
			t.Fatalf("the first write: %v", err)
		}
		wg.Wait()
		close(results)
		got := map[string]outcome{}
		for r := range results {
			got[r.name] = r
		}
		for i := 1; i < 20; i++ {
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
		// Two writes both inserting ok00, in whichever order they queued:
		// one is kept and the other refused.
		a, b := got["ok00"], got["duplicate"]
		if a.pan != nil || b.pan != nil || (a.err == nil) == (b.err == nil) ||
			kewei.ErrorCode(errors.Join(a.err, b.err)) != kewei.ECONFLICT {
			t.Errorf("the duplicate key: ok00 %+v, duplicate %+v", a, b)
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
		held := db.Committers() - 1
		if len(keys) != 22+held || !slices.Contains(keys, "cancelled") || !slices.Contains(keys, "first") {
			t.Errorf("kept %d keys %v, want first, the held ones, cancelled and ok00…ok19", len(keys), keys)
		}
		writes, commits := db.WriteGroups()
		if w, c := writes-writes0, commits-commits0; w != int64(22+held) || c > int64(2*db.Committers()+2) {
			t.Errorf("%d writes in %d commits; want %d in a few", w, c, 22+held)
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
		release, firstDone := holdWriters(t, db)
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
		go release()
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
		// A write alone in its group runs without a savepoint; failing, it
		// leaves nothing behind either.
		err := db.Write(context.Background(), func(exec func(string, ...any) error) error {
			if err := exec(`INSERT INTO gc (k) VALUES ('alone')`); err != nil {
				return err
			}
			return exec(`INSERT INTO gc (k) VALUES ('after')`) // taken
		})
		if kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a lone write breaking a key: %v", err)
		}
		if err := db.WriteAudited(context.Background(), "lone", true); err == nil {
			t.Fatal("the failing write succeeded")
		}
		if err := db.Write(context.Background(), func(exec func(string, ...any) error) error {
			return exec(`INSERT INTO gc (k) VALUES ('last')`)
		}); err != nil {
			t.Fatalf("the write after a lone failure: %v", err)
		}
		keys, _ = db.Keys("gc")
		if slices.Contains(keys, "alone") || !slices.Contains(keys, "last") {
			t.Fatalf("after a lone failure: %v", keys)
		}
		if check, err := sqlstore.NewAuditService(db).VerifyAudit(sys); err != nil || check.BrokenAt != 0 {
			t.Fatalf("the chain after a lone failure: %+v %v", check, err)
		}
	})
}

// A group's audit entries are chained at its end: those of a write that
// failed are not, the chain verifies, and an erasure clears the entries of
// writes before it in its group.
func TestGroupCommitAudit(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if err := db.ExecRaw(`CREATE TABLE gc (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		w := mustWorld(t, db)
		c := w.customers["c1"]
		as := sqlstore.NewAuditService(db)
		before, _ := as.VerifyAudit(sys)
		release, firstDone := holdWriters(t, db)
		var wg sync.WaitGroup
		fails := 0
		for i := range 30 {
			wg.Add(1)
			fail := i%3 == 1
			if fail {
				fails++
			}
			go func() {
				defer wg.Done()
				if err := db.WriteAudited(context.Background(), fmt.Sprint(i), fail); (err != nil) != fail {
					t.Errorf("write %d: %v", i, err)
				}
			}()
		}
		// Then, in order: a change to c1 that its audit entry remembers, and
		// c1's erasure.
		var p kewei.Patch
		p.Version = c.Version
		p.Set("address", "人民路1号")
		changed := make(chan error, 1)
		go func() { _, err := sqlstore.NewCustomerService(db).UpdateCustomer(w.as["c1"], c.ID, p); changed <- err }()
		time.Sleep(100 * time.Millisecond)
		erased := make(chan error, 1)
		go func() {
			erased <- sqlstore.NewPrivacyService(db).ErasePerson(w.as["admin"], c.ID, "客户书面要求删除")
		}()
		time.Sleep(100 * time.Millisecond)
		go release()
		if err := <-firstDone; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		// With several committers (PostgreSQL) the erasure may run first
		// and refuse the change.
		entries := int64(30 - fails + 2)
		if err := <-changed; err != nil {
			if db.Committers() == 1 || kewei.ErrorCode(err) != kewei.ECONFLICT {
				t.Fatalf("the change: %v", err)
			}
			entries--
		}
		if err := <-erased; err != nil {
			t.Fatalf("the erasure: %v", err)
		}
		check, err := as.VerifyAudit(sys)
		// 30 writes, the failing ones' entries gone; the change, the erasure.
		if err != nil || check.BrokenAt != 0 || check.Entries != before.Entries+entries {
			t.Fatalf("after the groups: %+v %v (before %d entries, %d failed)", check, err, before.Entries, fails)
		}
		log, err := as.FindAudit(w.as["aud"], kewei.AuditFilter{CustomerID: c.ID, ObjectType: "customer", Limit: 50})
		if err != nil || len(log.Items) == 0 {
			t.Fatalf("the change's entry: %+v %v", log, err)
		}
		for _, e := range log.Items {
			if !e.Erased {
				t.Fatalf("an entry of the erased person kept its payload: %+v", e)
			}
		}
	})
}
