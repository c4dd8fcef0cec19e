package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/kewei-crm/kewei"
)

// outOfScope is what a read inside a transaction returns for a record that
// exists but that the actor may not see. Transactions that read cannot write
// the audit entry, so public methods hand the error to denied afterwards.
type outOfScope struct {
	objType        string
	id, customerID int64
}

func (e *outOfScope) Error() string {
	return fmt.Sprintf("%s %d is outside the actor's scope", e.objType, e.id)
}

// denied audits an out-of-scope request and answers it as "not found", so
// that nobody learns what exists outside their scope. Other errors pass.
func (db *DB) denied(ctx context.Context, err error) error {
	var oos *outOfScope
	if !errors.As(err, &oos) {
		return err
	}
	return db.deny(ctx, oos.objType, oos.id, oos.customerID)
}

// present prepares customers for the actor: values of deleted custom fields
// are hidden, and personal data is masked where the actor's pii scope does
// not cover the customer.
func present(ctx context.Context, tx *Tx, cs ...*kewei.Customer) error {
	defs, err := findCustomFields(ctx, tx)
	if err != nil {
		return err
	}
	hideUndefined(defs, cs...)
	a := kewei.ActorFrom(ctx)
	for _, c := range cs {
		if !a.Covers(kewei.ObjectPII, c.OwnerID, c.OwnerTeam) {
			c.Mask(defs)
		}
	}
	return nil
}
