package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kewei-crm/kewei"
)

// ReferralService keeps referral cards, referrals and their rewards.
type ReferralService struct{ db *DB }

// NewReferralService returns the referrals of db.
func NewReferralService(db *DB) *ReferralService { return &ReferralService{db: db} }

var _ kewei.ReferralService = (*ReferralService)(nil)

func cardNumber(seq int64) string { return fmt.Sprintf("R%06d", seq) }

const cardSelect = `SELECT k.id, k.seq, k.customer_id, c.name, COALESCE(k.user_id, 0), COALESCE(u.display_name, ''), COALESCE(u.phone, ''),
	COALESCE(u.email, ''), k.issued_at FROM referral_cards k JOIN customers c ON c.id = k.customer_id LEFT JOIN users u ON u.id = k.user_id`

func scanCard(s scanner) (*kewei.ReferralCard, error) {
	k := &kewei.ReferralCard{Referrals: []*kewei.Referral{}}
	var seq int64
	err := s.Scan(&k.ID, &seq, &k.CustomerID, &k.CustomerName, &k.UserID, &k.UserName, &k.UserPhone, &k.UserEmail, instant{&k.IssuedAt})
	k.Number = cardNumber(seq)
	return k, err
}

// referralSelect computes "bought": a purchase by the prospect since the
// card was issued.
const referralSelect = `SELECT r.id, r.card_id, k.seq, k.customer_id, rc.name, r.prospect_id, p.name, r.linked_at,
	EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = r.prospect_id AND t.occurred_at >= k.issued_at),
	r.reward, r.redeemed_at, COALESCE(u.display_name, '')
	FROM referrals r JOIN referral_cards k ON k.id = r.card_id JOIN customers rc ON rc.id = k.customer_id
	JOIN customers p ON p.id = r.prospect_id LEFT JOIN users u ON u.id = r.redeemed_by`

func scanReferral(s scanner) (*kewei.Referral, error) {
	r := &kewei.Referral{}
	var seq, redeemed int64
	err := s.Scan(&r.ID, &r.CardID, &seq, &r.ReferrerID, &r.ReferrerName, &r.ProspectID, &r.ProspectName, instant{&r.LinkedAt},
		&r.Bought, &r.Reward, &redeemed, &r.RedeemedByName)
	r.CardNumber, r.RedeemedAt = cardNumber(seq), fromMS(redeemed)
	return r, err
}

func findReferrals(ctx context.Context, tx *Tx, cond string, args ...any) ([]*kewei.Referral, error) {
	out := []*kewei.Referral{}
	err := eachRow(ctx, tx, referralSelect+` WHERE `+cond+` ORDER BY r.linked_at, r.id`, args, func(s scanner) error {
		r, err := scanReferral(s)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
	return out, err
}

// IssueCard numbers a new card for a customer in the actor's scope.
func (s *ReferralService) IssueCard(ctx context.Context, customerID int64) (*kewei.ReferralCard, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var seq int64
		if _, err := tx.get(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM referral_cards`, nil, &seq); err != nil {
			return err
		}
		id = tx.db.ids.next()
		if _, err := tx.exec(ctx, `INSERT INTO referral_cards (id, seq, customer_id, user_id, issued_at) VALUES (?, ?, ?, ?, ?)`,
			id, seq, customerID, nullID(a.UserID), ms(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "referral_card", id, customerID, nil, map[string]any{"number": cardNumber(seq)})
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return s.FindCard(ctx, id)
}

func findCard(ctx context.Context, tx *Tx, id int64) (*kewei.ReferralCard, error) {
	k, err := queryOne(ctx, tx, scanCard, kewei.Errorf(kewei.ENOTFOUND, "referral card %d not found", id), cardSelect+` WHERE k.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if _, err := visibleCustomer(ctx, tx, k.CustomerID); err != nil {
		return nil, err
	}
	k.Referrals, err = findReferrals(ctx, tx, `r.card_id = ?`, k.ID)
	return k, err
}

// FindCard reads a card, with its referrals, of a customer in scope.
func (s *ReferralService) FindCard(ctx context.Context, id int64) (*kewei.ReferralCard, error) {
	var k *kewei.ReferralCard
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		k, err = findCard(ctx, tx, id)
		return err
	})
	return k, s.db.denied(ctx, err)
}

// LinkReferral links a prospect in scope to the card they brought. The
// card's customer may be anyone's: the number is on paper in the
// prospect's hand.
func (s *ReferralService) LinkReferral(ctx context.Context, prospectID int64, number string) (*kewei.Referral, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var seq int64
	number = strings.ToUpper(strings.TrimSpace(number))
	if _, err := fmt.Sscanf(strings.TrimPrefix(number, "R"), "%d", &seq); err != nil || seq <= 0 {
		var p kewei.Problems
		p.Add("card_number", kewei.ReasonInvalidFormat, "a card number such as R000042")
		return nil, p.Err()
	}
	var r *kewei.Referral
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, prospectID); err != nil {
			return err
		}
		var cardID, referrer int64
		found, err := tx.get(ctx, `SELECT id, customer_id FROM referral_cards WHERE seq = ?`, []any{seq}, &cardID, &referrer)
		switch {
		case err != nil:
			return err
		case !found:
			var p kewei.Problems
			p.Add("card_number", kewei.ReasonUnknownChoice, "no card %s was issued", cardNumber(seq))
			return p.Err()
		case referrer == prospectID:
			var p kewei.Problems
			p.Add("card_number", kewei.ReasonOutOfRange, "a customer cannot refer themselves")
			return p.Err()
		}
		var linked int64
		if found, err := tx.get(ctx, `SELECT card_id FROM referrals WHERE prospect_id = ?`, []any{prospectID}, &linked); err != nil {
			return err
		} else if found {
			return kewei.Errorf(kewei.ECONFLICT, "this customer already came with a card")
		}
		id := tx.db.ids.next()
		if _, err := tx.exec(ctx, `INSERT INTO referrals (id, card_id, prospect_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)`,
			id, cardID, prospectID, a.UserID, ms(tx.now)); err != nil {
			return err
		}
		rs, err := findReferrals(ctx, tx, `r.id = ?`, id)
		if err != nil {
			return err
		}
		r = rs[0]
		return tx.audit(ctx, kewei.ActionCreate, "referral", id, prospectID, nil, r)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return r, nil
}

// RedeemReward gives a referral's reward once. The update takes the row
// only while it is unredeemed, so of two concurrent redemptions on either
// database one wins and the other is a conflict.
func (s *ReferralService) RedeemReward(ctx context.Context, id int64, reward string) (*kewei.Referral, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var r *kewei.Referral
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		rs, err := findReferrals(ctx, tx, `r.id = ?`, id)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return kewei.Errorf(kewei.ENOTFOUND, "referral %d not found", id)
		}
		r = rs[0]
		if _, err := visibleCustomer(ctx, tx, r.ReferrerID); err != nil {
			return err
		}
		options, err := rewardOptions(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case !slices.Contains(options, reward):
			var p kewei.Problems
			p.Add("reward", kewei.ReasonUnknownChoice, "must be one of %s", strings.Join(options, ", "))
			return p.Err()
		case !r.Bought:
			return kewei.Errorf(kewei.ECONFLICT, "%s has not bought yet; the reward is given after the purchase", r.ProspectName)
		}
		res, err := tx.exec(ctx, `UPDATE referrals SET reward = ?, redeemed_at = ?, redeemed_by = ? WHERE id = ? AND redeemed_at = 0`,
			reward, ms(tx.now), a.UserID, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return kewei.Errorf(kewei.ECONFLICT, "the reward for referral %d was already given", id)
		}
		before := *r
		r.Reward, r.RedeemedAt, r.RedeemedByName = reward, tx.now, a.Name
		return tx.audit(ctx, kewei.ActionRedeem, "referral", id, r.ReferrerID, &before, r)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return r, nil
}

// Advocacy counts a customer's cards, the prospects they brought, those
// who bought and the rewards given.
func (s *ReferralService) Advocacy(ctx context.Context, customerID int64) (*kewei.Advocacy, error) {
	adv := &kewei.Advocacy{Cards: []*kewei.ReferralCard{}}
	err := s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := visibleCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		err := eachRow(ctx, tx, cardSelect+` WHERE k.customer_id = ? ORDER BY k.issued_at, k.id`, []any{customerID}, func(s scanner) error {
			k, err := scanCard(s)
			if err == nil {
				adv.Cards = append(adv.Cards, k)
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, k := range adv.Cards {
			if k.Referrals, err = findReferrals(ctx, tx, `r.card_id = ?`, k.ID); err != nil {
				return err
			}
			for _, r := range k.Referrals {
				adv.Referred++
				if r.Bought {
					adv.Bought++
				}
				if !r.RedeemedAt.IsZero() {
					adv.Redeemed++
				}
			}
		}
		by, err := findReferrals(ctx, tx, `r.prospect_id = ?`, customerID)
		if len(by) == 1 {
			adv.ReferredBy = by[0]
		}
		return err
	})
	return adv, s.db.denied(ctx, err)
}

func rewardOptions(ctx context.Context, tx *Tx) ([]string, error) {
	var raw string
	found, err := tx.get(ctx, `SELECT value FROM settings WHERE key = 'referral_rewards'`, nil, &raw)
	if err != nil || !found {
		return kewei.DefaultReferralRewards, err
	}
	var out []string
	return out, jsonScan{&out}.Scan(raw)
}

// RewardOptions lists the rewards offered.
func (s *ReferralService) RewardOptions(ctx context.Context) ([]string, error) {
	if _, err := kewei.RequireActor(ctx); err != nil {
		return nil, err
	}
	var out []string
	err := s.db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = rewardOptions(ctx, tx)
		return err
	})
	return out, err
}

// SetRewardOptions replaces the rewards offered: administrators only.
func (s *ReferralService) SetRewardOptions(ctx context.Context, rewards []string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var clean []string
	var p kewei.Problems
	for _, r := range rewards {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(clean, r) {
			if len([]rune(r)) > 60 {
				p.Add("rewards", kewei.ReasonTooLong, "%q is longer than 60 characters", r)
			}
			clean = append(clean, r)
		}
	}
	if len(clean) == 0 {
		p.Add("rewards", kewei.ReasonRequired, "name at least one reward")
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		old, err := rewardOptions(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES ('referral_rewards', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, jsonValue{clean}); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "settings", 0, 0, map[string]any{"referral_rewards": old}, map[string]any{"referral_rewards": clean})
	})
}
