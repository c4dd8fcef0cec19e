package sqlstore

import (
	"context"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// exportChunk is how many customers an export reads per query.
const exportChunk = 2000

// ExportCustomers walks every customer matching f in id order, a chunk per
// read transaction so a slow reader never holds one open, and audits the
// export with the number of customers written.
func (s *CustomerService) ExportCustomers(ctx context.Context, f kewei.CustomerFilter, opt kewei.ExportOptions,
	fn func(*kewei.Customer, []*kewei.Contact) error) (int, error) {
	actor, err := kewei.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if actor.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return 0, s.db.denied(ctx, kewei.Errorf(kewei.EFORBIDDEN, "your role exports no customers"))
	}
	scope, scopeArgs := scopeCond(actor, "c")
	w := customerWhere(f).and(scope, scopeArgs...)
	n := 0
	if f.Query != "" {
		ranges := search.Ranges(f.Query)
		if len(ranges) == 0 {
			return 0, s.auditExport(ctx, f, opt, 0, true)
		}
		cond, args := inRanges(actor, ranges)
		w = w.and(cond, args...)
	}
	after := int64(0)
	for {
		var cs []*kewei.Customer
		contacts := map[int64][]*kewei.Contact{}
		err := s.db.readTx(ctx, func(tx *Tx) error {
			cw := w
			if f.Tag != "" {
				cond, args, err := tagCond(ctx, tx, f.Tag)
				if err != nil {
					return err
				}
				cw = cw.and(cond, args...)
			}
			cw = cw.and(`c.id > ?`, after)
			rows, err := tx.query(ctx, customerSelect+cw.sql()+` ORDER BY c.id LIMIT ?`, append(cw.args, exportChunk)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				c, err := scanCustomer(rows)
				if err != nil {
					rows.Close()
					return err
				}
				cs = append(cs, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if err := present(ctx, tx, cs...); err != nil {
				return err
			}
			if opt.Contacts && len(cs) > 0 {
				return exportContacts(ctx, tx, cs, contacts)
			}
			return nil
		})
		if err != nil {
			return n, s.finishExport(ctx, f, opt, n, err)
		}
		for _, c := range cs {
			if err := ctx.Err(); err != nil {
				return n, s.finishExport(ctx, f, opt, n, err)
			}
			if err := fn(c, contacts[c.ID]); err != nil {
				return n, s.finishExport(ctx, f, opt, n, err)
			}
			n++
		}
		if len(cs) < exportChunk {
			return n, s.finishExport(ctx, f, opt, n, nil)
		}
		after = cs[len(cs)-1].ID
	}
}

// exportContacts reads the contacts of a chunk of customers, masked with
// their customer.
func exportContacts(ctx context.Context, tx *Tx, cs []*kewei.Customer, out map[int64][]*kewei.Contact) error {
	s := &recordService[kewei.Contact]{t: &contactTable}
	ids := make([]any, len(cs))
	byID := map[int64]*kewei.Customer{}
	for i, c := range cs {
		ids[i], byID[c.ID] = c.ID, c
	}
	rows, err := tx.query(ctx, s.selectSQL()+` WHERE r.customer_id IN (`+placeholders(len(ids))+`) ORDER BY r.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		ct, err := s.scanRow(rows)
		if err != nil {
			return err
		}
		maskRecords(ctx, byID[ct.CustomerID], ct)
		out[ct.CustomerID] = append(out[ct.CustomerID], ct)
	}
	return rows.Err()
}

// finishExport audits the export, complete or not, and returns err.
func (s *CustomerService) finishExport(ctx context.Context, f kewei.CustomerFilter, opt kewei.ExportOptions, n int, err error) error {
	if aerr := s.auditExport(ctx, f, opt, n, err == nil); err == nil {
		err = aerr
	}
	return err
}

func (s *CustomerService) auditExport(ctx context.Context, f kewei.CustomerFilter, opt kewei.ExportOptions, n int, complete bool) error {
	detail := map[string]any{"filter": f, "format": opt.Format, "customers": n, "complete": complete, "contacts": opt.Contacts}
	return s.db.auditAlone(context.WithoutCancel(ctx), kewei.ActionExport, "customers", 0, 0, detail)
}
