package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// customer adds one customer with its records to the batch.
func (g *gen) customer(b *kewei.Batch, stage kewei.Stage, purchases int) {
	asOf := g.opt.AsOf
	c := &kewei.Customer{ID: g.opt.NewID(), Kind: kewei.KindIndividual, Stage: stage, Source: pick(g, kewei.Sources)}
	flavour := g.opt.Flavour
	if flavour == "mixed" {
		flavour = []string{"dealership", "dealership", "bank"}[g.rng.IntN(3)]
	}
	pl := pickWeighted(g, places)
	c.Province, c.City = pl.province, pick(g, pl.cities)
	c.District = pick(g, districts)
	c.Address = fmt.Sprintf("%s%s%d号", c.District, pick(g, streets), 1+g.rng.IntN(300))
	if g.rng.Float64() < 0.08 {
		c.Kind = kewei.KindCompany
		c.Name = strings.TrimSuffix(strings.TrimSuffix(c.City, "市"), "省") + pick(g, firmWords) + pick(g, firmKinds)
		c.Industry = pick(g, industries)
	} else {
		c.Name = pickWeighted(g, surnames) + string(pick(g, givenChars))
		if g.rng.Float64() < 0.7 {
			c.Name += string(pick(g, givenChars))
		}
		c.Gender = pick(g, kewei.Genders)
		c.Birthday = kewei.Date{Year: 1955 + g.rng.IntN(48), Month: time.Month(1 + g.rng.IntN(12)), Day: 1 + g.rng.IntN(28)}
		c.AgeBand = ageBand(asOf.Year() - c.Birthday.Year)
		c.Occupation = pick(g, occupations)
		if g.rng.Float64() < 0.2 {
			c.Company = strings.TrimSuffix(c.City, "市") + pick(g, firmWords) + pick(g, firmKinds)
		}
	}
	c.Phones = []kewei.Phone{{Number: g.mobile(), Label: "mobile"}}
	if g.rng.Float64() < 0.15 {
		c.Phones = append(c.Phones, kewei.Phone{Number: g.mobile(), Label: "work"})
	}
	if g.rng.Float64() < 0.3 {
		c.Email = fmt.Sprintf("%s%d@%s", []string{"kh", "user", "vip", "cn"}[g.rng.IntN(4)], 1000+g.rng.IntN(999000), pick(g, mailHosts))
	}
	if g.rng.Float64() < 0.4 {
		c.WeChat = fmt.Sprintf("wxid_%08x", g.rng.Uint32())
	}
	for _, t := range g.rng.Perm(len(tags))[:g.rng.IntN(4)] {
		c.Tags = append(c.Tags, tags[t])
	}
	c.Preferences = pick(g, preferences)
	c.MarketingConsent = g.rng.Float64() < 0.7
	if g.rng.Float64() < 0.3 && c.Kind == kewei.KindIndividual {
		for range 1 + g.rng.IntN(2) {
			c.Family = append(c.Family, kewei.FamilyMember{Relation: pick(g, familyRelations),
				Birthday: kewei.Date{Year: 1950 + g.rng.IntN(65), Month: time.Month(1 + g.rng.IntN(12)), Day: 1 + g.rng.IntN(28)}})
		}
	}
	if n := len(g.opt.Owners); n > 0 && g.rng.Float64() > 0.04 {
		c.OwnerID = g.opt.Owners[g.rng.IntN(n)]
	}
	c.CreatedBy, c.UpdatedBy = c.OwnerID, c.OwnerID

	created := g.between(asOf.AddDate(-3, 0, 0), asOf.AddDate(0, 0, -1))
	if stage == kewei.StageProspect {
		created = g.between(asOf.AddDate(0, -6, 0), asOf)
		c.Intent = pick(g, kewei.Intents)
	}
	c.CreatedAt, c.UpdatedAt = created, created
	active := asOf // until when the customer buys and answers
	if stage == kewei.StageLost {
		active = g.between(created, asOf.AddDate(0, -6, 0))
		if active.Before(created) {
			active = created
		}
	}
	b.Customers = append(b.Customers, c)
	if flavour == "bank" {
		g.bankRecords(b, c, created, active, purchases)
	} else {
		g.dealerRecords(b, c, created, active, purchases)
	}
	if c.Kind == kewei.KindCompany {
		g.contacts(b, c, created)
	}
	g.interactions(b, c, created, active)
}

func (g *gen) mobile() string {
	prefixes := []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
		"156", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186", "187", "188", "189", "199"}
	return fmt.Sprintf("%s%08d", pick(g, prefixes), g.rng.IntN(100000000))
}

func ageBand(age int) kewei.AgeBand {
	switch {
	case age < 25:
		return "under_25"
	case age < 35:
		return "25_34"
	case age < 45:
		return "35_44"
	case age < 55:
		return "45_54"
	case age < 65:
		return "55_64"
	}
	return "65_plus"
}

func (g *gen) contacts(b *kewei.Batch, c *kewei.Customer, created time.Time) {
	roles := []kewei.ContactRole{kewei.ContactDecisionMaker, kewei.ContactInfluencer, kewei.ContactFrontDesk}
	titles := []string{"总经理", "采购经理", "前台"}
	for i := range 1 + g.rng.IntN(3) {
		name := pickWeighted(g, surnames) + string(pick(g, givenChars)) + string(pick(g, givenChars))
		b.Contacts = append(b.Contacts, &kewei.Contact{ID: g.opt.NewID(), CustomerID: c.ID, Name: name,
			Title: titles[i], Role: roles[i], Phones: []kewei.Phone{{Number: g.mobile(), Label: "work"}},
			CreatedAt: created, UpdatedAt: created})
	}
}
