package sqlstore

import (
	"context"
	"sync"
	"time"
)

// Ids are decided in Go: 53 bits, so JavaScript reads them exactly, laid out
// as milliseconds since idEpoch (41 bits, until 2094), a sequence within the
// millisecond (7 bits) and the process's node (5 bits). Each process claims a
// node from the database when it opens it, so two servers on one PostgreSQL,
// or a CLI command beside a server on one SQLite file, never make the same
// id. A burst of more than 128 ids in a millisecond borrows from the next
// millisecond; the generator starts above the largest id in use, so borrowed
// ids never repeat after a restart.
const (
	nodeBits = 5
	seqBits  = 7
	nodeMask = 1<<nodeBits - 1
)

var idEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

type idGen struct {
	mu   sync.Mutex
	node int64
	last int64
	now  func() time.Time
}

// next returns a new id, greater than every id this generator made before.
func (g *idGen) next() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := g.now().Sub(idEpoch).Milliseconds()<<(seqBits+nodeBits) | g.node
	if step := g.last + 1<<nodeBits; id < step {
		id = step
	}
	g.last = id
	return id
}

// idTables are the tables whose ids come from the generator.
var idTables = []string{"users", "api_tokens", "custom_fields", "customers", "contacts", "holdings", "transactions", "interactions", "imports"}

// claimIDNode takes the next node number and starts the generator above the
// largest id in use.
func (db *DB) claimIDNode(ctx context.Context) (*idGen, error) {
	g := &idGen{now: func() time.Time { return db.Now() }}
	err := db.writeTx(ctx, func(tx *Tx) error {
		var n int64
		if _, err := tx.get(ctx, `UPDATE id_nodes SET next = next + 1 WHERE id = 1 RETURNING next`, nil, &n); err != nil {
			return err
		}
		g.node = n & nodeMask
		for _, t := range idTables {
			var max int64
			if _, err := tx.get(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t, nil, &max); err != nil {
				return err
			}
			if base := max&^nodeMask | g.node; base > g.last {
				g.last = base
			}
		}
		return nil
	})
	return g, err
}

// NewID returns a fresh id, for callers that build rows in bulk.
func (db *DB) NewID() int64 { return db.ids.next() }
