package sqlstore

import (
	"context"
	"strings"

	"github.com/kewei-crm/kewei"
)

// FindHolidayDates reads the dates administrators set for the years.
func (s *PlaybookService) FindHolidayDates(ctx context.Context, years ...int) ([]kewei.HolidayDay, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	out := []kewei.HolidayDay{}
	if len(years) == 0 {
		return out, nil
	}
	args := make([]any, len(years))
	for i, y := range years {
		args[i] = y
	}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		return eachRow(ctx, tx, `SELECT year, key, day FROM holiday_dates WHERE year IN (`+placeholders(len(args))+`) ORDER BY year, key`,
			args, func(r scanner) error {
				h := kewei.HolidayDay{Set: true}
				if err := r.Scan(&h.Year, &h.Key, &h.Date); err != nil {
					return err
				}
				out = append(out, h)
				return nil
			})
	})
	return out, err
}

// SetHolidayDate saves or clears an administrator's date; audited.
func (s *PlaybookService) SetHolidayDate(ctx context.Context, year int, key string, d kewei.Date) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var p kewei.Problems
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 40 {
		p.Add("key", kewei.ReasonRequired, "name the holiday")
	}
	if year < 2000 || year > 2100 {
		p.Add("year", kewei.ReasonOutOfRange, "must be 2000 to 2100")
	}
	if !d.IsZero() && (d.Year < year-1 || d.Year > year) {
		p.Add("date", kewei.ReasonOutOfRange, "%s is not in %d", d, year)
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM holiday_dates WHERE year = ? AND key = ?`, year, key); err != nil {
			return err
		}
		if !d.IsZero() {
			if _, err := tx.exec(ctx, `INSERT INTO holiday_dates (year, key, day) VALUES (?, ?, ?)`, year, key, d); err != nil {
				return err
			}
		}
		return tx.audit(ctx, kewei.ActionUpdate, "holiday", int64(year), 0, nil, map[string]any{"key": key, "date": d})
	})
}
