package sqlstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestReferralRewardIsRedeemedOnce(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := sqlstore.NewReferralService(db)
		referrer := mustCustomer(t, sys, db, &kewei.Customer{Name: "老客户"})
		friend := mustCustomer(t, sys, db, &kewei.Customer{Name: "朋友", Stage: kewei.StageProspect})
		card, err := s.IssueCard(sys, referrer.ID)
		if err != nil || card.Number != "R000001" {
			t.Fatalf("issue: %+v %v", card, err)
		}
		if second, err := s.IssueCard(sys, referrer.ID); err != nil || second.Number != "R000002" {
			t.Fatalf("a second card: %+v %v", second, err)
		}
		if _, err := s.LinkReferral(sys, referrer.ID, card.Number); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a customer referred themselves: %v", err)
		}
		if _, err := s.LinkReferral(sys, friend.ID, "R999999"); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("an unknown card: %v", err)
		}
		ref, err := s.LinkReferral(sys, friend.ID, "r000001")
		if err != nil || ref.ReferrerID != referrer.ID || ref.Bought {
			t.Fatalf("link: %+v %v", ref, err)
		}
		if _, err := s.LinkReferral(sys, friend.ID, "R000002"); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a prospect came with two cards: %v", err)
		}
		if _, err := s.RedeemReward(sys, ref.ID, "保养券"); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a reward before the purchase: %v", err)
		}
		if err := sqlstore.NewRecords(db).Transactions.Create(sys, friend.ID, &kewei.Transaction{OccurredAt: time.Now(), Amount: 150000}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RedeemReward(sys, ref.ID, "现金"); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a reward not offered: %v", err)
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { _, errs[i] = s.RedeemReward(sys, ref.ID, "保养券") })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch kewei.ErrorCode(err) {
			case "":
				won++
			case kewei.ECONFLICT:
			default:
				t.Errorf("a concurrent redemption: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d of %d concurrent redemptions won", won, n)
		}
		adv, err := s.Advocacy(sys, referrer.ID)
		if err != nil || len(adv.Cards) != 2 || adv.Referred != 1 || adv.Bought != 1 || adv.Redeemed != 1 {
			t.Fatalf("advocacy: %+v %v", adv, err)
		}
		if by, err := s.Advocacy(sys, friend.ID); err != nil || by.ReferredBy == nil || by.ReferredBy.Reward != "保养券" {
			t.Fatalf("the friend's card: %+v %v", by, err)
		}
		entries, err := sqlstore.NewAuditService(db).FindAudit(sys, kewei.AuditFilter{Action: kewei.ActionRedeem})
		if err != nil || len(entries.Items) != 1 {
			t.Fatalf("redemptions audited: %v %v", entries, err)
		}
		if err := s.SetRewardOptions(sys, []string{" 洗车券 ", "", "洗车券"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.RewardOptions(sys); len(got) != 1 || got[0] != "洗车券" {
			t.Errorf("rewards: %v", got)
		}
	})
}
