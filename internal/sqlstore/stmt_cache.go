package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps SQLite's prepared statements, so a query is compiled once
// per connection instead of on every call: under load, compiling SQL was
// about 40% of the server's CPU (modernc's driver has no cache of its own).
// A statement is prepared in the background the first time it is seen —
// preparing needs a free connection, which a transaction waiting for it
// might be holding — and used from the next call on.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt // nil while being prepared, or when it failed
	want   chan string
	closed bool
	done   chan struct{}
}

// maxStmts bounds the cache: queries with lists of ids differ by length.
const maxStmts = 2000

func newStmtCache(pool *sql.DB) *stmtCache {
	c := &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, want: make(chan string, 256), done: make(chan struct{})}
	go c.prepare()
	return c
}

// lookup returns the prepared statement of q, or nil (and asks for it).
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, seen := c.m[q]
	if seen || c.closed || len(c.m) >= maxStmts || !cacheable(q) {
		return st
	}
	select {
	case c.want <- q:
		c.m[q] = nil
	default: // the preparer is behind; ask again next time
	}
	return nil
}

// cacheable leaves out what a prepared statement cannot hold or should not
// be kept for: several statements, and long lists of values.
func cacheable(q string) bool {
	return len(q) < 8000 && strings.Count(q, "?") <= 64 && !strings.Contains(strings.TrimRight(q, "; \n\t"), ";")
}

func (c *stmtCache) prepare() {
	defer close(c.done)
	for q := range c.want {
		st, err := c.pool.PrepareContext(context.Background(), q)
		c.mu.Lock()
		if err == nil && !c.closed {
			c.m[q] = st
		} else if err == nil {
			st.Close()
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.want)
	c.mu.Unlock()
	<-c.done
	c.mu.Lock()
	for _, st := range c.m {
		if st != nil {
			st.Close()
		}
	}
	c.m = nil
	c.mu.Unlock()
}
