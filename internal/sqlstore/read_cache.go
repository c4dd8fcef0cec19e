package sqlstore

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Two answers that every customer page or list asks for are kept for a
// moment, as who a token is (auth_cache.go) is: the custom field
// definitions, and the totals of customer lists and searches. On
// PostgreSQL under load, counting a consultant's customers for the total was
// a third of the database's time. A commit in this process that could
// change an answer empties its cache; a change made by another process — a
// second server, the kewei command — shows within readTTL.
const (
	readTTL    = 5 * time.Second
	readCached = 10_000
)

// effects says which cached answers a write may have changed.
type effects uint8

const (
	changesAccess effects = 1 << iota // users, sessions, tokens, teams, scopes
	changesCounts                     // which customers a list or search finds
	changesFields                     // the custom field definitions
	changesAll    = changesAccess | changesCounts | changesFields
)

// writeRE picks the table a statement writes.
var writeRE = regexp.MustCompile(`^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)`)

// tableEffects are the tables whose writes change cached answers. Who may
// see what also decides which customers a list counts.
var tableEffects = map[string]effects{
	"users":                 changesAccess | changesCounts,
	"sessions":              changesAccess,
	"api_tokens":            changesAccess,
	"teams":                 changesAccess | changesCounts,
	"role_scopes":           changesAccess | changesCounts,
	"customers":             changesCounts,
	"customer_tags":         changesCounts,
	"customer_search":       changesCounts,
	"customer_search_owner": changesCounts,
	"custom_fields":         changesFields,
}

// lastContactRE is the upkeep of a customer's last contact, which changes
// no count the cache keeps (counts that filter on it are not kept).
var lastContactRE = regexp.MustCompile(`^UPDATE customers SET last_contact_at =`)

// effectsOf returns what statement q may change.
func effectsOf(q string) effects {
	m := writeRE.FindStringSubmatch(q)
	if m == nil {
		return 0
	}
	e := tableEffects[m[1]]
	if e&changesAccess != 0 && touchRE.MatchString(q) {
		return 0
	}
	if e == changesCounts && lastContactRE.MatchString(q) {
		return 0
	}
	return e
}

// changed empties the caches a commit's writes may have changed, once the
// commit is done, so that a lookup begun before it is not kept.
func (db *DB) changed(e effects) {
	if e&changesAccess != 0 {
		db.actors.changed()
	}
	if e&changesCounts != 0 {
		db.counts.changed()
	}
	if e&changesFields != 0 {
		db.fields.changed()
	}
}

// ttlCache keeps values for readTTL, each tagged with the generation of
// the cache when its lookup began.
type ttlCache[V any] struct {
	gen atomic.Uint64 // bumped by every commit that may change a value
	mu  sync.Mutex
	m   map[string]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v     V
	gen   uint64
	until time.Time
}

// get returns the value kept for key, if it is still good.
func (c *ttlCache[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || !now.Before(e.until) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put keeps v, looked up when the cache was at generation gen.
func (c *ttlCache[V]) put(key string, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= readCached {
		c.m = map[string]ttlEntry[V]{}
	}
	c.m[key] = ttlEntry[V]{v: v, gen: gen, until: now.Add(readTTL)}
}

func (c *ttlCache[V]) changed() { c.gen.Add(1) }

// matchCount is a list's total, capped at kewei.CountCap.
type matchCount struct {
	n      int
	capped bool
}

// keptCount returns the total of a customer list or search from the cache,
// or counts it and keeps it. q and args are the count's statement. A write
// counts afresh, and so does a count filtering on the last contact, which
// every logged interaction changes.
func keptCount(tx *Tx, q string, args []any, count func() (matchCount, error)) (matchCount, error) {
	if !tx.reading || strings.Contains(q, "last_contact_at") {
		return count()
	}
	key := q + "\x00" + fmt.Sprintf("%#v", args)
	now := time.Now()
	if c, ok := tx.db.counts.get(key, now); ok {
		return c, nil
	}
	c, err := count()
	if err == nil {
		tx.db.counts.put(key, c, tx.gens.counts, now)
	}
	return c, err
}

// cacheGens are the caches' generations when a read began, before its
// snapshot: what it reads is at least that new.
type cacheGens struct{ counts, fields uint64 }

func (db *DB) cacheGens() cacheGens {
	return cacheGens{counts: db.counts.gen.Load(), fields: db.fields.gen.Load()}
}
