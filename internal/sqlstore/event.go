package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/kewei-crm/kewei"
)

// EventService keeps events, invitations and the leads met at events.
type EventService struct{ db *DB }

// NewEventService returns the events of db.
func NewEventService(db *DB) *EventService { return &EventService{db: db} }

var _ kewei.EventService = (*EventService)(nil)

const eventSelect = `SELECT id, name, kind, starts_at, place, capacity, campaign_id, note, created_at, version FROM events`

func scanEvent(s scanner) (*kewei.Event, error) {
	e := &kewei.Event{}
	err := s.Scan(&e.ID, &e.Name, &e.Kind, instant{&e.StartsAt}, &e.Place, &e.Capacity, &e.CampaignID, &e.Note, instant{&e.CreatedAt}, &e.Version)
	return e, err
}

// checkEventCampaign makes sure a named campaign exists.
func checkEventCampaign(ctx context.Context, tx *Tx, e *kewei.Event) error {
	if e.CampaignID == 0 {
		return nil
	}
	if _, err := findCampaign(ctx, tx, e.CampaignID); kewei.ErrorCode(err) == kewei.ENOTFOUND {
		var p kewei.Problems
		p.Add("campaign_id", kewei.ReasonUnknownChoice, "there is no campaign %d", e.CampaignID)
		return p.Err()
	} else if err != nil {
		return err
	}
	return nil
}

// CreateEvent adds an event (administrators).
func (s *EventService) CreateEvent(ctx context.Context, e *kewei.Event) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.db.writeTx(ctx, func(tx *Tx) error {
		if err := checkEventCampaign(ctx, tx, e); err != nil {
			return err
		}
		e.ID, e.CreatedAt, e.Version = tx.db.ids.next(), tx.now, 1
		if _, err := tx.exec(ctx, `INSERT INTO events (id, name, kind, starts_at, place, capacity, campaign_id, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Name, e.Kind, ms(e.StartsAt), e.Place, e.Capacity, e.CampaignID, e.Note,
			ms(e.CreatedAt)); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionCreate, "event", e.ID, 0, nil, e)
	})
}

// UpdateEvent applies a patch (administrators).
func (s *EventService) UpdateEvent(ctx context.Context, id int64, p kewei.Patch) (*kewei.Event, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var e *kewei.Event
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		if e, err = findEvent(ctx, tx, id); err != nil {
			return err
		}
		if e.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "event %d was changed by someone else; reload and try again", id)
		}
		before := *e
		if err := p.Apply(e); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return err
		}
		if err := checkEventCampaign(ctx, tx, e); err != nil {
			return err
		}
		e.Version++
		if _, err := tx.exec(ctx, `UPDATE events SET name = ?, kind = ?, starts_at = ?, place = ?, capacity = ?, campaign_id = ?, note = ?,
			version = ? WHERE id = ?`, e.Name, e.Kind, ms(e.StartsAt), e.Place, e.Capacity, e.CampaignID, e.Note, e.Version, e.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "event", e.ID, 0, &before, e)
	})
	if err != nil {
		return nil, err
	}
	return s.FindEvent(ctx, id)
}

func findEvent(ctx context.Context, tx *Tx, id int64) (*kewei.Event, error) {
	return queryOne(ctx, tx, scanEvent, kewei.Errorf(kewei.ENOTFOUND, "event %d not found", id), eventSelect+` WHERE id = ?`, id)
}

// countEvent fills an event's counts over the customers the actor sees:
// conversion is a purchase on or after the day the event began.
func countEvent(ctx context.Context, tx *Tx, a *kewei.Actor, e *kewei.Event) error {
	w := where{}.and(`i.event_id = ?`, e.ID)
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	since := ms(e.StartsAt)
	bought := func(col string) string {
		return `EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = ` + col + ` AND t.occurred_at >= ` + fmt.Sprint(since) + `)`
	}
	if _, err := tx.get(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.reply = 'yes' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN i.reply = 'no' THEN 1 ELSE 0 END), 0), COALESCE(SUM(i.attended), 0), COALESCE(SUM(i.guests), 0),
		COALESCE(SUM(CASE WHEN i.attended = 1 AND `+bought("i.customer_id")+` THEN 1 ELSE 0 END), 0)
		FROM event_invitations i JOIN customers c ON c.id = i.customer_id`+w.sql(), w.args,
		&e.Invited, &e.Accepted, &e.Declined, &e.Attended, &e.Guests, &e.AttendeesBought); err != nil {
		return err
	}
	lw := where{}.and(`l.event_id = ?`, e.ID)
	if cond, args := scopeCond(a, "c"); cond != "" {
		lw = lw.and(cond, args...)
	}
	if _, err := tx.get(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+bought("l.customer_id")+` THEN 1 ELSE 0 END), 0)
		FROM event_leads l JOIN customers c ON c.id = l.customer_id`+lw.sql(), lw.args, &e.Leads, &e.LeadsBought); err != nil {
		return err
	}
	if n := e.Attended + e.Leads; n > 0 {
		e.Conversion = float64(e.AttendeesBought+e.LeadsBought) / float64(n)
	}
	return nil
}

// FindEvent reads an event with its counts.
func (s *EventService) FindEvent(ctx context.Context, id int64) (*kewei.Event, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var e *kewei.Event
	err = s.db.readTx(ctx, func(tx *Tx) error {
		if e, err = findEvent(ctx, tx, id); err != nil {
			return err
		}
		return countEvent(ctx, tx, a, e)
	})
	return e, err
}

// FindEvents lists the events, latest first, with their counts.
func (s *EventService) FindEvents(ctx context.Context) ([]*kewei.Event, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	out := []*kewei.Event{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		if err := eachRow(ctx, tx, eventSelect+` ORDER BY starts_at DESC, id DESC LIMIT 200`, nil, func(r scanner) error {
			e, err := scanEvent(r)
			out = append(out, e)
			return err
		}); err != nil {
			return err
		}
		for _, e := range out {
			if err := countEvent(ctx, tx, a, e); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// Invite invites the customers the request picks, within the actor's scope,
// leaving out those whose latest answer refuses the channel or marketing
// and those already invited.
func (s *EventService) Invite(ctx context.Context, eventID int64, r kewei.InviteRequest) (*kewei.InviteResult, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(kewei.Channels, r.Channel) || r.Channel == kewei.ChannelMarketing {
		var p kewei.Problems
		p.Add("channel", kewei.ReasonUnknownChoice, "phone, sms, email or wechat")
		return nil, p.Err()
	}
	res := &kewei.InviteResult{}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		if _, err := findEvent(ctx, tx, eventID); err != nil {
			return err
		}
		ids, err := inviteCandidates(ctx, tx, a, r)
		if err != nil {
			return err
		}
		refused, err := refusedAny(ctx, tx, ids, r.Channel, kewei.ChannelMarketing)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if refused[id] {
				res.NoConsent++
				continue
			}
			got, err := tx.exec(ctx, `INSERT INTO event_invitations (id, event_id, customer_id, channel, invited_at, invited_by)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, customer_id) DO NOTHING`,
				tx.db.ids.next(), eventID, id, r.Channel, ms(tx.now), a.UserID)
			if err != nil {
				return err
			}
			if n, _ := got.RowsAffected(); n == 1 {
				res.Invited++
			} else {
				res.AlreadyInvited++
			}
		}
		return tx.audit(ctx, kewei.ActionCreate, "event_invitations", eventID, 0, nil,
			map[string]any{"channel": r.Channel, "audience": r.Audience, "result": res})
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return res, nil
}

// inviteCandidates lists the customers a request names or its audience
// matches, within the actor's scope, leaving out erased ones.
func inviteCandidates(ctx context.Context, tx *Tx, a *kewei.Actor, r kewei.InviteRequest) ([]int64, error) {
	if len(r.CustomerIDs) > 0 {
		if len(r.CustomerIDs) > kewei.MaxInvitations {
			var p kewei.Problems
			p.Add("customer_ids", kewei.ReasonOutOfRange, "at most %d per round", kewei.MaxInvitations)
			return nil, p.Err()
		}
		for _, id := range r.CustomerIDs {
			if _, err := visibleCustomer(ctx, tx, id); err != nil {
				return nil, err
			}
		}
		return r.CustomerIDs, nil
	}
	w := where{}.and(`c.erased_at = 0`)
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	in := func(col string, vals []any) {
		if len(vals) > 0 {
			w = w.and(col+` IN (`+placeholders(len(vals))+`)`, vals...)
		}
	}
	in("c.tier", anys(r.Audience.Tiers))
	in("c.stage", anys(r.Audience.Stages))
	in("c.intent", anys(r.Audience.Intents))
	if len(r.Audience.Tags) > 0 {
		w = w.and(`c.id IN (SELECT customer_id FROM customer_tags WHERE tag IN (`+placeholders(len(r.Audience.Tags))+`))`, anys(r.Audience.Tags)...)
	}
	var ids []int64
	err := eachRow(ctx, tx, `SELECT c.id FROM customers c`+w.sql()+` ORDER BY c.id LIMIT ?`, append(w.args, kewei.MaxInvitations+1),
		func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			ids = append(ids, id)
			return err
		})
	if err == nil && len(ids) > kewei.MaxInvitations {
		var p kewei.Problems
		p.Add("audience", kewei.ReasonOutOfRange, "more than %d customers match; narrow the audience", kewei.MaxInvitations)
		return nil, p.Err()
	}
	return ids, err
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// refusedAny reports the customers whose latest answer on any of the
// channels is a refusal.
func refusedAny(ctx context.Context, tx *Tx, ids []int64, channels ...kewei.Channel) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		latest := map[int64]map[kewei.Channel]bool{}
		args := append(anys(chunk), anys(channels)...)
		if err := eachRow(ctx, tx, `SELECT customer_id, channel, granted FROM consents WHERE customer_id IN (`+placeholders(len(chunk))+
			`) AND channel IN (`+placeholders(len(channels))+`) ORDER BY at, id`, args, func(s scanner) error {
			var id int64
			var ch kewei.Channel
			var granted bool
			if err := s.Scan(&id, &ch, &granted); err != nil {
				return err
			}
			if latest[id] == nil {
				latest[id] = map[kewei.Channel]bool{}
			}
			latest[id][ch] = granted
			return nil
		}); err != nil {
			return nil, err
		}
		for id, m := range latest {
			for _, granted := range m {
				if !granted {
					out[id] = true
				}
			}
		}
	}
	return out, nil
}

const invitationSelect = `SELECT i.id, i.event_id, i.customer_id, c.name, i.channel, i.invited_at, i.reply, i.replied_at, i.attended, i.guests,
	i.version FROM event_invitations i JOIN customers c ON c.id = i.customer_id`

func scanInvitation(s scanner) (*kewei.Invitation, error) {
	i := &kewei.Invitation{}
	var replied int64
	var attended int
	err := s.Scan(&i.ID, &i.EventID, &i.CustomerID, &i.CustomerName, &i.Channel, instant{&i.InvitedAt}, &i.Reply, &replied, &attended,
		&i.Guests, &i.Version)
	i.RepliedAt, i.Attended = fromMS(replied), attended == 1
	return i, err
}

// FindInvitations lists an event's invitations of customers in scope, by name.
func (s *EventService) FindInvitations(ctx context.Context, eventID int64) ([]*kewei.Invitation, error) {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	w := where{}.and(`i.event_id = ?`, eventID)
	if cond, args := scopeCond(a, "c"); cond != "" {
		w = w.and(cond, args...)
	}
	out := []*kewei.Invitation{}
	err = s.db.readTx(ctx, func(tx *Tx) error {
		if _, err := findEvent(ctx, tx, eventID); err != nil {
			return err
		}
		return eachRow(ctx, tx, invitationSelect+w.sql()+` ORDER BY c.name, i.id LIMIT ?`, append(w.args, kewei.MaxInvitations),
			func(r scanner) error {
				i, err := scanInvitation(r)
				out = append(out, i)
				return err
			})
	})
	return out, err
}

// UpdateInvitation records a reply, attendance or guests of an invitation
// whose customer the actor sees.
func (s *EventService) UpdateInvitation(ctx context.Context, id int64, p kewei.Patch) (*kewei.Invitation, error) {
	var inv *kewei.Invitation
	err := s.db.writeTx(ctx, func(tx *Tx) error {
		var err error
		inv, err = queryOne(ctx, tx, scanInvitation, kewei.Errorf(kewei.ENOTFOUND, "invitation %d not found", id), invitationSelect+` WHERE i.id = ?`, id)
		if err != nil {
			return err
		}
		if _, err := visibleCustomer(ctx, tx, inv.CustomerID); err != nil {
			return err
		}
		if inv.Version != p.Version {
			return kewei.Errorf(kewei.ECONFLICT, "invitation %d was changed by someone else; reload and try again", id)
		}
		before := *inv
		if err := p.Apply(inv); err != nil {
			return err
		}
		if err := inv.Validate(); err != nil {
			return err
		}
		if inv.Reply != before.Reply {
			inv.RepliedAt = tx.now
		}
		if inv.Attended && inv.Reply == kewei.ReplyPending {
			inv.Reply, inv.RepliedAt = kewei.ReplyYes, tx.now // who came, said yes
		}
		inv.Version++
		attended := 0
		if inv.Attended {
			attended = 1
		}
		if _, err := tx.exec(ctx, `UPDATE event_invitations SET reply = ?, replied_at = ?, attended = ?, guests = ?, version = ? WHERE id = ?`,
			inv.Reply, ms(inv.RepliedAt), attended, inv.Guests, inv.Version, inv.ID); err != nil {
			return err
		}
		return tx.audit(ctx, kewei.ActionUpdate, "event_invitation", inv.ID, inv.CustomerID, &before, inv)
	})
	if err != nil {
		return nil, s.db.denied(ctx, err)
	}
	return inv, nil
}

// AddLead creates a customer met at the event, owned by the actor unless
// an owner is named, with "event" as their source; when the event belongs
// to a campaign, the customer is the campaign's lead too.
func (s *EventService) AddLead(ctx context.Context, eventID int64, c *kewei.Customer) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return s.db.denied(ctx, kewei.Errorf(kewei.EFORBIDDEN, "your role sees no customers"))
	}
	if c.OwnerID == 0 && !a.System {
		c.OwnerID = a.UserID
	}
	if c.Source == "" {
		c.Source = kewei.SourceEvent
	}
	if c.Stage == "" {
		c.Stage = kewei.StageProspect
	}
	err = s.db.writeTx(ctx, func(tx *Tx) error {
		e, err := findEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if err := insertCustomer(ctx, tx, a, c); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO event_leads (customer_id, event_id, at) VALUES (?, ?, ?)`, c.ID, eventID, ms(tx.now)); err != nil {
			return err
		}
		if e.CampaignID != 0 {
			return attributeLead(ctx, tx, a, c.ID, e.CampaignID)
		}
		return nil
	})
	return s.db.denied(ctx, err)
}
