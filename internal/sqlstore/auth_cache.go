package sqlstore

import (
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kewei-crm/kewei"
)

// Who a session or API token is, and what they may see, is kept for a
// moment: under load, looking it up on every request (the token, the
// role's scopes, the team tree) was a sixth of the server's CPU. A commit
// that writes users, sessions, tokens, teams or scopes empties the cache
// (sign-out, revoking a token, disabling a user, moving a team take effect
// on the next request); a change made by another process — a second
// server, the kewei command — takes effect within actorTTL.
const (
	actorTTL     = 2 * time.Second
	actorsCached = 10_000
)

type actorCache struct {
	gen atomic.Uint64 // bumped by every commit that changes access
	mu  sync.Mutex
	m   map[string]cachedActor
}

type cachedActor struct {
	actor kewei.Actor
	seen  int64 // when the session or token was last marked as used
	gen   uint64
	until time.Time
}

// touchRE is marking a session or token as used, which changes no access.
var touchRE = regexp.MustCompile(`^UPDATE (?:sessions|api_tokens) SET last_(?:seen|used)_at = \? WHERE token_hash = \?$`)

// get returns a copy of the cached actor of a token hash, and when it was
// last marked as used.
func (c *actorCache) get(th string, now time.Time) (*kewei.Actor, int64, bool) {
	c.mu.Lock()
	e, ok := c.m[th]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || !now.Before(e.until) {
		return nil, 0, false
	}
	a := e.actor
	return &a, e.seen, true
}

// put keeps a, looked up when the cache was at generation gen.
func (c *actorCache) put(th string, a *kewei.Actor, seen int64, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= actorsCached {
		c.m = map[string]cachedActor{}
	}
	c.m[th] = cachedActor{actor: *a, seen: seen, gen: gen, until: now.Add(actorTTL)}
}

// touched records that the token was marked as used at seen.
func (c *actorCache) touched(th string, seen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[th]; ok {
		e.seen = seen
		c.m[th] = e
	}
}

// changed forgets every cached actor; called after a commit that changed
// access, so that a lookup begun before it is not kept.
func (c *actorCache) changed() { c.gen.Add(1) }
