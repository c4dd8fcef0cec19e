package sqlstore

import (
	"context"
	"slices"

	"github.com/kewei-crm/kewei"
)

const contractSelect = `SELECT k.id, k.customer_id, c.name, k.opportunity_id, k.number, k.title, k.amount, k.signed_on, k.starts_on, k.ends_on,
	k.status, COALESCE(k.owner_id, 0), COALESCE(u.display_name, ''), k.created_at, k.version
	FROM contracts k JOIN customers c ON c.id = k.customer_id LEFT JOIN users u ON u.id = k.owner_id`

func scanContract(s scanner) (*kewei.Contract, error) {
	k := &kewei.Contract{}
	err := s.Scan(&k.ID, &k.CustomerID, &k.CustomerName, &k.OpportunityID, &k.Number, &k.Title, &k.Amount, &k.SignedOn, &k.StartsOn,
		&k.EndsOn, &k.Status, &k.OwnerID, &k.OwnerName, instant{&k.CreatedAt}, &k.Version)
	return k, err
}

// checkContractOpportunity makes sure a named opportunity is the
// customer's.
func checkContractOpportunity(ctx context.Context, tx *Tx, k *kewei.Contract) error {
	if k.OpportunityID == 0 {
		return nil
	}
	var customer int64
	found, err := tx.get(ctx, `SELECT customer_id FROM opportunities WHERE id = ?`, []any{k.OpportunityID}, &customer)
	if err == nil && (!found || customer != k.CustomerID) {
		var p kewei.Problems
		p.Add("opportunity_id", kewei.ReasonUnknownChoice, "not an opportunity of this customer")
		err = p.Err()
	}
	return err
}

// CreateContract records a contract signed with a customer in scope.
func (s *OpportunityService) CreateContract(ctx context.Context, k *kewei.Contract) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if k.Status == "" {
		k.Status = kewei.ContractSigned
	}
	if err := k.Validate(); err != nil {
		return err
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, k.CustomerID); err != nil {
			return err
		}
		if err := checkContractOpportunity(ctx, tx, k); err != nil {
			return err
		}
		k.ID, k.OwnerID, k.Version = tx.db.ids.next(), a.UserID, 1
		if _, err := tx.exec(ctx, `INSERT INTO contracts (id, customer_id, opportunity_id, number, title, amount, signed_on, starts_on, ends_on,
			status, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, k.CustomerID, k.OpportunityID,
			k.Number, k.Title, k.Amount, k.SignedOn, k.StartsOn, k.EndsOn, k.Status, nullID(a.UserID), ms(tx.now), ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "contract", k.ID, k.CustomerID, nil, k)
	})
	return s.db.denied(ctx, err)
}

func findContract(ctx context.Context, tx *Tx, id int64) (*kewei.Contract, error) {
	k, err := queryOne(ctx, tx, scanContract, kewei.Errorf(kewei.ENOTFOUND, "contract %d not found", id), contractSelect+` WHERE k.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if _, err := visibleCustomer(ctx, tx, k.CustomerID); err != nil {
		return nil, err
	}
	return k, nil
}

// FindContract reads a contract of a customer in scope.
func (s *OpportunityService) FindContract(ctx context.Context, id int64) (*kewei.Contract, error) {
	var k *kewei.Contract
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		k, err = findContract(ctx, tx, id)
		return err
	})
	return k, s.db.denied(ctx, err)
}

// FindContracts lists a customer's contracts, latest signed first.
func (s *OpportunityService) FindContracts(ctx context.Context, customerID int64) ([]*kewei.Contract, error) {
	out := []*kewei.Contract{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		return eachRow(ctx, tx, contractSelect+` WHERE k.customer_id = ? ORDER BY k.signed_on DESC, k.id DESC`, []any{customerID}, func(r scanner) error {
			k, err := scanContract(r)
			if err == nil {
				out = append(out, k)
			}
			return err
		})
	})
	return out, s.db.denied(ctx, err)
}

// UpdateContract applies a patch; the status moves only forward, as
// kewei.ContractMoves allows.
func (s *OpportunityService) UpdateContract(ctx context.Context, id int64, p kewei.Patch) (*kewei.Contract, error) {
	var k *kewei.Contract
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if k, err = findContract(ctx, tx, id); err != nil {
			return err
		}
		if k.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "contract %d was changed by someone else; reload and try again", id)
		}
		before := *k
		if err := p.Apply(k); err != nil {
			return err
		}
		if err := k.Validate(); err != nil {
			return err
		}
		if k.Status != before.Status && !slices.Contains(kewei.ContractMoves[before.Status], k.Status) {
			var pr kewei.Problems
			pr.Add("status", kewei.ReasonOutOfRange, "a %s contract cannot become %s", before.Status, k.Status)
			return pr.Err()
		}
		if err := checkContractOpportunity(ctx, tx, k); err != nil {
			return err
		}
		k.Version++
		if _, err := tx.exec(ctx, `UPDATE contracts SET opportunity_id = ?, number = ?, title = ?, amount = ?, signed_on = ?, starts_on = ?,
			ends_on = ?, status = ?, updated_at = ?, version = ? WHERE id = ?`, k.OpportunityID, k.Number, k.Title, k.Amount, k.SignedOn,
			k.StartsOn, k.EndsOn, k.Status, ms(tx.now), k.Version, k.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "contract", k.ID, k.CustomerID, &before, k)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return k, nil
}
