package recommend_test

import (
	"context"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/recommend"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

// TestServiceOnTheStore trains on the store's purchases and recommends
// within the caller's scope, on both databases.
func TestServiceOnTheStore(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := kewei.WithActor(context.Background(), kewei.SystemActor)
		users, customers, recs := sqlstore.NewUserService(db), sqlstore.NewCustomerService(db), sqlstore.NewRecords(db)
		var actors []context.Context
		var owners []int64
		for _, name := range []string{"li", "wang"} {
			u := &kewei.User{Name: name, DisplayName: name, Role: kewei.RoleConsultant}
			if err := users.CreateUser(sys, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			a, err := db.ActorFor(sys, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			actors, owners = append(actors, kewei.WithActor(context.Background(), a)), append(owners, u.ID)
		}
		day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		var ids []int64
		for i, basket := range [][]string{{"保养", "机油"}, {"保养", "机油"}, {"保养", "轮胎"}, {"保养"}} {
			c := &kewei.Customer{Name: "客户" + string(rune('甲'+i)), Stage: kewei.StageCustomer, OwnerID: owners[i%2]}
			if err := customers.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			for k, p := range basket {
				if err := recs.Transactions.Create(sys, c.ID, &kewei.Transaction{OccurredAt: day.AddDate(0, 0, k), Amount: 10000, Product: p}); err != nil {
					t.Fatal(err)
				}
			}
		}
		svc := &recommend.Service{Store: sqlstore.NewPurchaseService(db), Visible: func(ctx context.Context, id int64) error {
			_, err := customers.FindCustomerByID(ctx, id)
			return err
		}}
		if _, err := svc.TrainRecommender(actors[0]); kewei.ErrorCode(err) != kewei.EFORBIDDEN {
			t.Errorf("a consultant retrained: %v", err)
		}
		run, err := svc.TrainRecommender(sys)
		if err != nil || run.Customers != 4 || run.Products != 3 || run.Lines != 7 {
			t.Fatalf("run %+v %v", run, err)
		}
		// The fourth customer (wang's) had only 保养: 机油 is what two of
		// the three other 保养 buyers bought too.
		got, err := svc.Recommend(actors[1], ids[3], 1, true)
		if err != nil || len(got) != 1 || got[0].Product != "机油" || got[0].Kind != "also" || got[0].Because != "保养" {
			t.Fatalf("recommendations %+v %v", got, err)
		}
		if _, err := svc.Recommend(actors[0], ids[3], 1, true); kewei.ErrorCode(err) != kewei.ENOTFOUND {
			t.Errorf("another's customer: %v", err)
		}
	})
}
