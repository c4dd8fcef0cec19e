package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/kewei-crm/kewei"
)

// ProductService keeps the product catalogue and the holdings' due dates
// that depend on it.
type ProductService struct{ db *DB }

// NewProductService returns the catalogue of db.
func NewProductService(db *DB) *ProductService { return &ProductService{db: db} }

var (
	_ kewei.ProductService = (*ProductService)(nil)
	_ kewei.DueService     = (*ProductService)(nil)
)

const productCols = `code, name, category, price, purchase, life_months, active, note`

const productSelect = `SELECT id, ` + productCols + `, created_at, updated_at, version FROM products`

func productArgs(p *kewei.Product) []any {
	return []any{p.Code, p.Name, p.Category, p.Price, p.Purchase, p.LifeMonths, p.Active, p.Note}
}

func scanProduct(s scanner) (*kewei.Product, error) {
	p := &kewei.Product{}
	err := s.Scan(&p.ID, &p.Code, &p.Name, &p.Category, &p.Price, &p.Purchase, &p.LifeMonths, &p.Active, &p.Note,
		instant{&p.CreatedAt}, instant{&p.UpdatedAt}, &p.Version)
	return p, err
}

func findProduct(ctx context.Context, tx *Tx, id int64) (*kewei.Product, error) {
	return queryOne(ctx, tx, scanProduct, kewei.Errorf(kewei.ENOTFOUND, "product %d not found", id), productSelect+` WHERE id = ?`, id)
}

// FindProducts lists the catalogue by code.
func (s *ProductService) FindProducts(ctx context.Context, f kewei.ProductFilter) ([]*kewei.Product, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	w := where{}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		w = w.and(`(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Category != "" {
		w = w.and(`category = ?`, f.Category)
	}
	if f.Active != nil {
		w = w.and(`active = ?`, *f.Active)
	}
	out := []*kewei.Product{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, productSelect+w.sql()+` ORDER BY code LIMIT 5000`, w.args, func(r scanner) error {
			p, err := scanProduct(r)
			if err == nil {
				out = append(out, p)
			}
			return err
		})
	})
	return out, err
}

// FindProduct returns one product.
func (s *ProductService) FindProduct(ctx context.Context, id int64) (*kewei.Product, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var p *kewei.Product
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		p, err = findProduct(ctx, tx, id)
		return err
	})
	return p, err
}

// CreateProduct adds a product (administrators); a code in use is a
// conflict. The due dates of holdings naming it are recomputed.
func (s *ProductService) CreateProduct(ctx context.Context, p *kewei.Product) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		if err := codeFree(ctx, tx, p.Code, 0); err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt, p.Version = tx.db.ids.next(), tx.now, tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO products (id, `+productCols+`, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, append(append([]any{p.ID}, productArgs(p)...), ms(tx.now), ms(tx.now))...); err != nil {
			return err
		}
		if err := tx.audit(ctx, kewei.ActionCreate, "product", p.ID, 0, nil, p); err != nil {
			return err
		}
		return refreshProductDue(ctx, tx, p.Code, p.Name)
	})
	return err
}

func codeFree(ctx context.Context, tx *Tx, code string, id int64) error {
	var other int64
	ok, err := tx.get(ctx, `SELECT id FROM products WHERE code = ? AND id <> ?`, []any{code, id}, &other)
	if err != nil {
		return err
	}
	if ok {
		return &kewei.Error{Code: kewei.ECONFLICT, Message: "code: product " + code + " is in the catalogue already",
			Fields: []kewei.FieldError{{Field: "code", Reason: kewei.ReasonDuplicate, Message: "is the code of another product"}}}
	}
	return nil
}

// UpdateProduct applies a patch (administrators) if its version is current.
func (s *ProductService) UpdateProduct(ctx context.Context, id int64, patch kewei.Patch) (*kewei.Product, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var p *kewei.Product
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if p, err = findProduct(ctx, tx, id); err != nil {
			return err
		}
		if p.Version != patch.Version {
			return kewei.Errorf(kewei.ECONFLICT, "product %d was changed by someone else; reload and try again", id)
		}
		before := *p
		if err := patch.Apply(p); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := codeFree(ctx, tx, p.Code, p.ID); err != nil {
			return err
		}
		p.Version++
		p.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE products SET code = ?, name = ?, category = ?, price = ?, purchase = ?, life_months = ?,
			active = ?, note = ?, updated_at = ?, version = ? WHERE id = ?`,
			append(productArgs(p), ms(tx.now), p.Version, p.ID)...); err != nil {
			return err
		}
		if err := tx.audit(ctx, kewei.ActionUpdate, "product", p.ID, 0, &before, p); err != nil {
			return err
		}
		return refreshProductDue(ctx, tx, before.Code, before.Name, p.Code, p.Name)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// DeleteProduct removes a product (administrators) if version is current.
func (s *ProductService) DeleteProduct(ctx context.Context, id int64, version int) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		p, err := findProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Version != version {
			return kewei.Errorf(kewei.ECONFLICT, "product %d was changed by someone else; reload and try again", id)
		}
		if _, err := tx.exec(ctx, `DELETE FROM products WHERE id = ?`, id); err != nil {
			return err
		}
		if err := tx.audit(ctx, kewei.ActionDelete, "product", id, 0, p, nil); err != nil {
			return err
		}
		return refreshProductDue(ctx, tx, p.Code, p.Name)
	})
}

// OneOffsOf returns the codes and names of the one-off products a customer
// in scope holds (an active holding) or bought.
func (s *ProductService) OneOffsOf(ctx context.Context, customerID int64) ([]string, error) {
	out := []string{}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		// The customer's few products first, then the catalogue by code
		// and by name: never a scan of the catalogue per customer.
		return eachRow(ctx, tx, `WITH x AS (SELECT product FROM holdings WHERE customer_id = ? AND status = ?
				UNION SELECT product FROM transactions WHERE customer_id = ?)
			SELECT p.code, p.name FROM products p JOIN x ON x.product = p.code WHERE p.purchase = ?
			UNION SELECT p.code, p.name FROM products p JOIN x ON x.product = p.name WHERE p.purchase = ?`,
			[]any{customerID, kewei.HoldingActive, customerID, kewei.PurchaseOnce, kewei.PurchaseOnce}, func(r scanner) error {
				var code, name string
				if err := r.Scan(&code, &name); err != nil {
					return err
				}
				out = append(out, code, name)
				return nil
			})
	})
	return out, s.db.denied(ctx, err)
}

// PutCatalogue puts many products in by code (a code there already is
// updated) in one transaction, audited as one bulk load, and then
// recomputes every holding's due date once (administrators): for a demo
// or a catalogue sync, where one refresh per product would be slow.
func (s *ProductService) PutCatalogue(ctx context.Context, ps []*kewei.Product) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("product %d (%s): %w", i+1, p.Code, err)
		}
	}
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		for _, p := range ps {
			p.ID, p.CreatedAt, p.UpdatedAt, p.Version = tx.db.ids.next(), tx.now, tx.now, 1
		}
		for _, st := range upsertProducts(ps) {
			if _, err := tx.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, kewei.ActionBulkLoad, "product", 0, 0, map[string]int{"products": len(ps)})
	})
	if err != nil {
		return err
	}
	_, err = s.RefreshDue(ctx)
	return err
}
