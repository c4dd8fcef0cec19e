package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Finish writes the search keys in order and rebuilds the dropped indexes.
func (b *Bulk) Finish(ctx context.Context) error {
	if !b.big {
		return nil
	}
	defer b.keys.close()
	defer b.owned.close()
	err := b.keys.merge(50000, func(pairs []keyPair) error {
		rows := make([][]any, len(pairs))
		for i, p := range pairs {
			rows[i] = []any{p.key, p.id}
		}
		return b.db.dialect.copyTables(ctx, b.db, nil, []TableRows{{"customer_search", []string{"key", "customer_id"}, rows}})
	})
	if err != nil {
		return fmt.Errorf("write search keys: %w", err)
	}
	err = b.owned.merge(50000, func(pairs []keyPair) error {
		rows := make([][]any, len(pairs))
		for i, p := range pairs {
			rows[i] = []any{p.owner, p.key, p.id}
		}
		return b.db.dialect.copyTables(ctx, b.db, nil, []TableRows{{"customer_search_owner", []string{"owner_id", "key", "customer_id"}, rows}})
	})
	if err != nil {
		return fmt.Errorf("write search keys by owner: %w", err)
	}
	return b.db.finishBulk(ctx, false)
}

// recoverBulk finishes a bulk load that was cut short: one whose process
// is gone.
func (db *DB) recoverBulk(ctx context.Context) error {
	var owner string
	var beat int64
	var pending bool
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		pending, err = tx.get(ctx, `SELECT owner, heartbeat_at FROM bulk_state`, nil, &owner, &beat)
		return err
	})
	if err != nil || !pending || bulkAlive(owner, fromMS(beat), db.Now()) {
		return err
	}
	return db.finishBulk(ctx, true)
}

// finishBulk rebuilds the dropped indexes and, after a crash, the search
// keys of the customers the load wrote.
func (db *DB) finishBulk(ctx context.Context, rekey bool) error {
	if rekey {
		if err := db.rekeyAfterBulk(ctx); err != nil {
			return err
		}
	}
	if st := db.dialect.bulkConn(false); st != "" {
		if _, err := db.write.ExecContext(ctx, st); err != nil {
			return db.mapError(err)
		}
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT definition FROM bulk_indexes ORDER BY name`)
		if err != nil {
			return err
		}
		var defs []string
		for rows.Next() {
			var def string
			if err := rows.Scan(&def); err != nil {
				rows.Close()
				return err
			}
			def = strings.Replace(def, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
			defs = append(defs, strings.Replace(def, "CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
			// ALTER TABLE … ADD CONSTRAINT statements run as they are.
		}
		rows.Close()
		for _, def := range defs {
			if err := rebuildIndex(ctx, tx, def); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		for _, st := range []string{`DELETE FROM bulk_indexes`, `DELETE FROM bulk_state`, db.dialect.bulkMode(0), db.dialect.analyze()} {
			if st == "" {
				continue
			}
			if _, err := tx.exec(ctx, st); err != nil {
				return err
			}
		}
		return nil
	})
	if st := db.dialect.vacuum(append(bulkTables, "customer_search")...); err == nil && st != "" {
		if _, err = db.write.ExecContext(ctx, st); err != nil {
			err = db.mapError(err)
		}
	}
	return err
}

// rekeyAfterBulk writes the search keys of every customer added since the
// interrupted load began; keys already present are skipped.
func (db *DB) rekeyAfterBulk(ctx context.Context) error {
	var after int64
	if err := db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT after_customer_id FROM bulk_state`, nil, &after)
		return err
	}); err != nil {
		return err
	}
	for {
		var keys [][]any
		n := 0
		err := db.readTx(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, customerSelect+` WHERE c.id > ? ORDER BY c.id LIMIT 5000`, after)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				c, err := scanCustomer(rows)
				if err != nil {
					return err
				}
				for _, k := range customerKeys(c) {
					keys = append(keys, []any{k, c.ID, c.OwnerID})
				}
				after, n = c.ID, n+1
			}
			return rows.Err()
		})
		if err != nil || n == 0 {
			return err
		}
		err = db.writeTx(ctx, func(tx *Tx) error {
			for _, k := range keys {
				if _, err := tx.exec(ctx, `INSERT INTO customer_search (key, customer_id) VALUES (?, ?)
					ON CONFLICT DO NOTHING`, k[0], k[1]); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `INSERT INTO customer_search_owner (owner_id, key, customer_id) VALUES (?, ?, ?)
					ON CONFLICT DO NOTHING`, k[2], k[0], k[1]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// BulkPending reports whether a bulk load waits to be finished.
func (db *DB) BulkPending(ctx context.Context) bool {
	var pending bool
	_ = db.readTx(ctx, func(tx *Tx) error {
		_, err := tx.get(ctx, `SELECT EXISTS (SELECT 1 FROM bulk_state)`, nil, &pending)
		return err
	})
	return pending
}

// rebuildIndex runs one index definition. The unique index on transaction
// numbers is dropped only by imports that found no numbered transactions
// when they began; should another writer have added the same numbers
// meanwhile, the later copies are removed — they are the same transactions
// — and the index built again.
func rebuildIndex(ctx context.Context, tx *Tx, def string) error {
	if !strings.Contains(def, "transactions_external_uq") {
		_, err := tx.exec(ctx, def)
		return err
	}
	if _, err := tx.exec(ctx, `SAVEPOINT unique_numbers`); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, def); err == nil {
		_, err = tx.exec(ctx, `RELEASE SAVEPOINT unique_numbers`)
		return err
	}
	if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT unique_numbers`); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM transactions WHERE external_id IS NOT NULL AND id NOT IN (
		SELECT MIN(id) FROM transactions WHERE external_id IS NOT NULL GROUP BY customer_id, external_id)`); err != nil {
		return err
	}
	_, err := tx.exec(ctx, def)
	return err
}
