package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestPoolReturnsAndClaims(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clock := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		old, oldUser := mustUser(t, db, "old", kewei.RoleConsultant)
		other, _ := mustUser(t, db, "other", kewei.RoleConsultant)
		auditor, _ := mustUser(t, db, "aud", kewei.RoleAuditor)
		var cs []*kewei.Customer
		for i, tier := range []kewei.Tier{"C", "C", "A", "C"} {
			c := mustCustomer(t, old, db, &kewei.Customer{Name: []string{"甲", "乙", "丙", "丁"}[i], Tier: tier})
			cs = append(cs, c)
		}
		pool := sqlstore.NewPoolService(db)
		if err := pool.SetPoolSettings(old, &kewei.PoolSettings{Days: map[kewei.Tier]int{"C": 30}, ClaimCap: 1, LockoutDays: 30}); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Fatalf("a consultant set the pool rules: %v", err)
		}
		if err := pool.SetPoolSettings(sys, &kewei.PoolSettings{Days: map[kewei.Tier]int{"C": 0}, ClaimCap: 1}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("zero days accepted: %v", err)
		}
		if err := pool.SetPoolSettings(sys, &kewei.PoolSettings{Days: map[kewei.Tier]int{"C": 30}, ClaimCap: 1, LockoutDays: 30}); err != nil {
			t.Fatal(err)
		}
		// Customer 乙 was called recently; the others of tier C were never
		// contacted and were added 40 days ago.
		clock = clock.AddDate(0, 0, 35)
		if err := sqlstore.NewRecords(db).Interactions.Create(old, cs[1].ID, &kewei.Interaction{Kind: kewei.InteractionVisit, Summary: "拜访"}); err != nil {
			t.Fatal(err)
		}
		clock = clock.AddDate(0, 0, 5)
		n, err := pool.ReturnToPool(sys, clock)
		if err != nil || n != 2 {
			t.Fatalf("returned %d (%v), want the two neglected tier-C customers", n, err)
		}
		list, err := pool.FindPool(other, 10)
		if err != nil || len(list) != 2 || list[0].PreviousOwnerID != oldUser.ID {
			t.Fatalf("the pool: %+v %v", list, err)
		}
		if _, err := pool.FindPool(auditor, 10); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("an auditor read the pool: %v", err)
		}
		if err := pool.ClaimCustomer(old, cs[0].ID); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("the previous owner claimed during the lock-out: %v", err)
		}
		if err := pool.ClaimCustomer(other, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := pool.ClaimCustomer(other, cs[3].ID); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a second claim within the cap of one a day: %v", err)
		}
		if err := pool.ClaimCustomer(other, cs[0].ID); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("claiming an owned customer: %v", err)
		}
		got, err := sqlstore.NewCustomerService(db).FindCustomers(other, kewei.CustomerFilter{Query: cs[0].Name})
		if err != nil || got.Total != 1 {
			t.Fatalf("the claimant cannot find their new customer: %+v %v", got, err)
		}
		clock = clock.AddDate(0, 0, 31)
		if err := pool.ClaimCustomer(old, cs[3].ID); err != nil {
			t.Fatalf("after the lock-out the previous owner may claim: %v", err)
		}
		_ = context.Background()
	})
}
