package tiering

import (
	"context"
	"time"

	"github.com/kewei-crm/kewei"
)

// tierIndex is a tier's row in the matrix.
func tierIndex(t kewei.Tier) int {
	for i, x := range kewei.Tiers {
		if x == t {
			return i
		}
	}
	return 4
}

// BuildMigration compares the tiers at the end of two days.
func BuildMigration(ctx context.Context, st kewei.TierStore, from, to kewei.Date, f kewei.ValueFilter, loc *time.Location) (*kewei.TierMigration, error) {
	if loc == nil {
		loc = time.Local
	}
	if to.String() < from.String() {
		from, to = to, from
	}
	before := map[int64]kewei.Tier{}
	err := st.TiersAt(ctx, dayStart(from, loc).AddDate(0, 0, 1), f, func(id int64, t kewei.Tier) error {
		before[id] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	m := &kewei.TierMigration{From: from, To: to}
	err = st.TiersAt(ctx, dayStart(to, loc).AddDate(0, 0, 1), f, func(id int64, t kewei.Tier) error {
		i, j := tierIndex(before[id]), tierIndex(t)
		m.Counts[i][j]++
		switch {
		case i == 4 || i == j:
			if i == j {
				m.Same++
			}
		case j < i:
			m.Up++
		default:
			m.Down++
		}
		return nil
	})
	return m, err
}
