package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func TestPipelineAndContracts(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := sqlstore.NewOpportunityService(db)
		c := mustCustomer(t, sys, db, &kewei.Customer{Name: "星海公司", Kind: kewei.KindCompany})
		stages, err := s.Stages(sys)
		if err != nil || len(stages) != 6 || stages[0].Kind != kewei.PipelineOpen {
			t.Fatalf("the default stages: %v %v", stages, err)
		}
		if err := s.CreateOpportunity(sys, &kewei.Opportunity{CustomerID: c.ID, Amount: -1}); kewei.ErrorCode(err) != kewei.EINVALID ||
			len(kewei.ErrorFields(err)) != 2 {
			t.Fatalf("no name and a negative amount: %v", err)
		}
		if err := s.CreateOpportunity(sys, &kewei.Opportunity{CustomerID: c.ID, Name: "x", CampaignID: 42}); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("an unknown campaign: %v", err)
		}
		a := &kewei.Opportunity{CustomerID: c.ID, Name: "车队采购", Amount: 100000000, ExpectedClose: kewei.Date{Year: 2027, Month: 1, Day: 15}}
		b := &kewei.Opportunity{CustomerID: c.ID, Name: "延保", Amount: 2000000, StageID: stages[2].ID, Probability: 80}
		for _, o := range []*kewei.Opportunity{a, b} {
			if err := s.CreateOpportunity(sys, o); err != nil {
				t.Fatal(err)
			}
		}
		if a.StageID != stages[0].ID || a.Probability != 10 || b.Probability != 80 {
			t.Fatalf("defaults: stage %d at %d%%, named %d%%", a.StageID, a.Probability, b.Probability)
		}
		var p kewei.Patch
		p.Version = 1
		p.Set("stage_id", stages[3].ID)
		got, err := s.UpdateOpportunity(sys, a.ID, p)
		if err != nil || got.Probability != 70 || got.Weighted != 70000000 || !got.ClosedAt.IsZero() {
			t.Fatalf("to negotiation: %+v %v", got, err)
		}
		if _, err := s.UpdateOpportunity(sys, a.ID, p); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a stale version: %v", err)
		}
		pl, err := s.FindPipeline(sys, kewei.OpportunityFilter{})
		if err != nil || len(pl.Columns) != 6 {
			t.Fatal(err)
		}
		// Hand count: 延保 2,000,000 at 80% in the proposal column; 车队采购 100,000,000 at 70% in negotiation.
		if col := pl.Columns[2]; col.Count != 1 || col.Amount != 2000000 || col.Weighted != 1600000 {
			t.Errorf("proposal column: %+v", col)
		}
		if col := pl.Columns[3]; col.Count != 1 || col.Weighted != 70000000 || col.Opportunities[0].Name != "车队采购" {
			t.Errorf("negotiation column: %+v", col)
		}
		// A consultant's kanban holds their customers' opportunities only.
		wl := &kewei.User{Name: "wl", DisplayName: "王丽", Role: kewei.RoleConsultant}
		if err := sqlstore.NewUserService(db).CreateUser(sys, wl, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		wa, err := db.ActorFor(sys, wl.ID)
		if err != nil {
			t.Fatal(err)
		}
		wctx := kewei.WithActor(sys, wa)
		mine := mustCustomer(t, wctx, db, &kewei.Customer{Name: "王丽的客户"})
		for i := range 3 {
			if err := s.CreateOpportunity(wctx, &kewei.Opportunity{CustomerID: mine.ID, Name: fmt.Sprint("增购", i), Amount: 100, StageID: stages[i%2].ID}); err != nil {
				t.Fatal(err)
			}
		}
		if pl, err := s.FindPipeline(wctx, kewei.OpportunityFilter{}); err != nil || pl.Columns[0].Count != 2 || len(pl.Columns[0].Opportunities) != 2 ||
			len(pl.Columns[1].Opportunities) != 1 || len(pl.Columns[3].Opportunities) != 0 {
			t.Fatalf("the consultant's kanban: %+v %v", pl, err)
		}
		p = kewei.Patch{Version: 2}
		p.Set("stage_id", stages[4].ID)
		if got, err := s.UpdateOpportunity(sys, a.ID, p); err != nil || got.ClosedAt.IsZero() || got.Probability != 100 || got.StageKind != kewei.PipelineWon {
			t.Fatalf("won: %+v %v", got, err)
		}
		keep := append([]kewei.PipelineStage{}, stages[:2]...)
		keep = append(keep, stages[4:]...)
		if _, err := s.SetStages(sys, keep); kewei.ErrorCode(err) != kewei.ECONFLICT {
			t.Fatalf("a stage holding an opportunity was removed: %v", err)
		}
		if _, err := s.SetStages(sys, stages[:4]); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("a pipeline with no won stage: %v", err)
		}
		renamed := append([]kewei.PipelineStage{{Name: "意向", Probability: 5, Kind: kewei.PipelineOpen}}, stages...)
		renamed[1].Name = "初次接触"
		if got, err := s.SetStages(sys, renamed); err != nil || len(got) != 7 || got[0].Name != "意向" || got[1].Name != "初次接触" {
			t.Fatalf("add and rename: %v %v", got, err)
		}

		k := &kewei.Contract{CustomerID: c.ID, OpportunityID: a.ID, Number: "HT-2026-01", Title: "车队采购合同", Amount: 98000000,
			SignedOn: kewei.Date{Year: 2026, Month: 11, Day: 20}, StartsOn: kewei.Date{Year: 2026, Month: 12, Day: 1}, EndsOn: kewei.Date{Year: 2027, Month: 11, Day: 30}}
		if err := s.CreateContract(sys, k); err != nil || k.Status != kewei.ContractSigned {
			t.Fatalf("contract: %+v %v", k, err)
		}
		dup := *k
		if err := s.CreateContract(sys, &dup); kewei.ErrorCode(err) != kewei.ECONFLICT || kewei.ErrorFields(err)[0].Field != "number" {
			t.Fatalf("a second contract with the same number: %v", err)
		}
		p = kewei.Patch{Version: 1}
		p.Set("status", kewei.ContractEnded)
		if _, err := s.UpdateContract(sys, k.ID, p); kewei.ErrorCode(err) != kewei.EINVALID {
			t.Fatalf("signed straight to ended: %v", err)
		}
		p.Set("status", kewei.ContractExecuting)
		if got, err := s.UpdateContract(sys, k.ID, p); err != nil || got.Status != kewei.ContractExecuting {
			t.Fatalf("executing: %+v %v", got, err)
		}
		if list, err := s.FindContracts(sys, c.ID); err != nil || len(list) != 1 || list[0].Version != 2 {
			t.Fatalf("contracts: %v %v", list, err)
		}
	})
}
