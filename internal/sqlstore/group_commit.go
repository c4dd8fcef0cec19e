package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kewei-crm/kewei"
)

// Writes are committed in groups. A committer goroutine runs each write
// transaction's function inside a savepoint of a shared transaction, so a
// function that fails is undone alone, and the writes that arrived while
// the last group was committing are committed together. The group's audit
// entries are chained at its end. Nobody is told their write succeeded
// before the commit that holds it.
//
// Why: on SQLite there is one writer, and under load the writes queued
// behind it for seconds, each paying a whole transaction; on PostgreSQL the
// audit chain's lock is held through every commit, so writes committed one
// at a time (one disk flush each) while the waiting ones held the pool's
// connections. A group pays for one transaction and one flush.
const (
	// groupMax and groupTime bound a group: a write that arrives after
	// either waits for the next one, so one long write does not hold many
	// short ones behind its commit for long.
	groupMax  = 256
	groupTime = 20 * time.Millisecond
)

// errClosed is what a write gets once the store is closed.
var errClosed = kewei.Errorf(kewei.EUNAVAILABLE, "the database is closed")

// writeReq is one write transaction waiting for the committer.
type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan writeResult
}

type writeResult struct {
	err      error
	panicked any // the function's panic, raised again in its own goroutine
}

// committer runs the write transactions of one store, on one goroutine per
// group that may run at once.
type committer struct {
	db      *DB
	reqs    chan *writeReq
	stop    chan struct{}
	running sync.WaitGroup
	once    sync.Once
	// writes and groups count what was committed, for /metrics: their
	// ratio is how many writes a commit carried.
	writes, groups atomic.Int64
}

// startCommitter starts the committers: one on SQLite, which has one
// writer; several on PostgreSQL, whose groups run side by side and meet
// only at the audit chain's lock at their ends.
func (db *DB) startCommitter() {
	c := &committer{db: db, reqs: make(chan *writeReq), stop: make(chan struct{})}
	n := 1
	if db.dsn.Driver == "postgres" {
		n = pgCommitters
	}
	c.running.Add(n)
	for range n {
		go c.run()
	}
	db.commits = c
}

// pgCommitters is how many groups run at once on PostgreSQL: a group's
// writes spend most of their time waiting on round trips, which the other
// groups overlap, and the groups queue only to append to the audit log and
// commit (two round trips under the chain's lock). Under the mixed load
// eight did at least as well as four; runs differ by a tenth either way.
const pgCommitters = 8

// close stops taking writes and waits for the groups being committed.
func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	c.running.Wait()
}

// writeTx runs fn in a write transaction and returns once that is
// committed (nil) or undone (fn's error, or the commit's). On SQLite the
// transaction takes the write lock up front (BEGIN IMMEDIATE), so it never
// fails half-way with SQLITE_BUSY. fn runs on the committer's goroutine
// with ctx's values but not its cancellation — a request that goes away
// while its write runs must not undo the others' — and is skipped if ctx
// ends before it starts. fn must not start another write transaction.
func (db *DB) writeTx(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan writeResult, 1)}
	select {
	case db.commits.reqs <- req:
	case <-db.commits.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	r := <-req.done
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.err
}

func (c *committer) run() {
	defer c.running.Done()
	for {
		select {
		case first := <-c.reqs:
			c.group(first)
		case <-c.stop:
			return
		}
	}
}

// group runs first and the writes that arrive while it runs, up to the
// group's bounds, then commits them together.
func (c *committer) group(first *writeReq) {
	ctx := context.Background()
	sqlTx, err := c.db.write.BeginTx(ctx, nil)
	if err != nil {
		first.done <- writeResult{err: c.db.mapError(err)}
		return
	}
	var ok []*writeReq  // done, waiting for the commit
	var changed effects // what the group's writes may change
	open := false       // a savepoint is left to release
	audits := &auditBuffer{}
	started := time.Now()
	for next := first; next != nil; {
		r := next
		next = nil
		if err := r.ctx.Err(); err != nil {
			r.done <- writeResult{err: err}
		} else if len(ok) == 0 {
			// Nothing is kept in the transaction yet, so the write needs
			// no savepoint: if it fails, the transaction starts again.
			tx := c.db.groupedTx(sqlTx, audits)
			if res := call(tx, r.fn); res.err != nil || res.panicked != nil {
				r.done <- res
				_ = sqlTx.Rollback()
				*audits = auditBuffer{}
				if sqlTx, err = c.db.write.BeginTx(ctx, nil); err != nil {
					return // nothing else was taken
				}
			} else {
				ok = append(ok, r)
				changed |= tx.effects
			}
		} else if res, broken := c.one(sqlTx, r, audits, &changed, &open); broken != nil {
			// The transaction itself failed (a lost connection): nothing
			// in it is kept.
			_ = sqlTx.Rollback()
			r.done <- res
			for _, w := range ok {
				w.done <- writeResult{err: broken}
			}
			return
		} else if res.err != nil || res.panicked != nil {
			r.done <- res
		} else {
			ok = append(ok, r)
		}
		if len(ok) < groupMax && time.Since(started) < groupTime {
			select {
			case next = <-c.reqs:
			default:
			}
		}
	}
	// The group's audit entries, chained at its end: on PostgreSQL the
	// chain's lock is held from here to the commit only.
	tail := c.db.groupedTx(sqlTx, audits)
	if err = tail.flushAudit(context.Background()); err != nil {
		_ = sqlTx.Rollback()
	} else {
		err = sqlTx.Commit()
	}
	err = c.db.mapError(err)
	if err == nil {
		c.groups.Add(1)
		c.writes.Add(int64(len(ok)))
	}
	c.db.changed(changed)
	for _, w := range ok {
		w.done <- writeResult{err: err}
	}
}

// groupedTx is a write of a group: its statements outlive their request and
// its audit entries wait in audits for the group's end.
func (db *DB) groupedTx(sqlTx *sql.Tx, audits *auditBuffer) *Tx {
	tx := db.newTx(sqlTx, db.write)
	tx.grouped, tx.audits = true, audits
	return tx
}

// one runs a write inside a savepoint: kept when fn returns nil, undone
// when it returns an error or panics. broken is set when the savepoint
// itself could not be made or undone. What the write may change is added
// to changed, even when it is undone. The savepoint is left for the next
// write to release (open is set), which saves a round trip on PostgreSQL;
// the commit releases the last.
func (c *committer) one(sqlTx *sql.Tx, r *writeReq, audits *auditBuffer, changed *effects, open *bool) (res writeResult, broken error) {
	tx := c.db.groupedTx(sqlTx, audits)
	defer func() { *changed |= tx.effects }()
	kept, flushed := len(audits.entries), audits.flushed
	ctx := context.Background()
	if err := savepoint(ctx, tx, *open); err != nil {
		return writeResult{err: err}, err
	}
	*open = true
	res = call(tx, r.fn)
	if res.err == nil && res.panicked == nil {
		return res, nil
	}
	if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT w`); err != nil {
		return writeResult{err: errors.Join(res.err, err), panicked: res.panicked}, err
	}
	// Its audit entries go with it, and entries it chained for the group
	// are out of the log again.
	audits.entries, audits.flushed = audits.entries[:kept], flushed
	return res, nil
}

// savepoint makes savepoint w, first releasing the one before when open,
// with the dialect's statements for that.
func savepoint(ctx context.Context, tx *Tx, open bool) error {
	stmts := []string{`SAVEPOINT w`}
	if open {
		stmts = tx.db.dialect.nextSavepoint()
	}
	for _, q := range stmts {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// call runs fn, turning a panic into a result.
func call(tx *Tx, fn func(*Tx) error) (res writeResult) {
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{err: fmt.Errorf("panic: %v", p), panicked: p}
		}
	}()
	return writeResult{err: fn(tx)}
}

// WriteGroups returns how many write transactions were committed and in how
// many commits.
func (db *DB) WriteGroups() (writes, commits int64) {
	return db.commits.writes.Load(), db.commits.groups.Load()
}
