package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/sqlstore"
	"github.com/kewei-crm/kewei/internal/sqlstore/sqltest"
)

func names(list *kewei.List[*kewei.Customer]) []string {
	out := make([]string, len(list.Items))
	for i, c := range list.Items {
		out[i] = c.Name
	}
	return out
}

func TestCustomerSearch(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		for _, c := range []*kewei.Customer{
			{Name: "张三", Phones: []kewei.Phone{{Number: "13812345678"}}, Email: "zhang@example.com"},
			{Name: "张三丰", Phones: []kewei.Phone{{Number: "13900001111"}}},
			{Name: "李四", Company: "深圳市腾达汽车销售有限公司", Phones: []kewei.Phone{{Number: "13700005678"}}},
			{Name: "单雄信", WeChat: "ShanXX"},
			{Name: "Acme Trading Ltd", Kind: kewei.KindCompany},
		} {
			mustCustomer(t, ctx, db, c)
		}
		s := sqlstore.NewCustomerService(db)
		for _, tc := range []struct {
			q    string
			want string
		}{
			{"张三", "张三,张三丰"},
			{"三", "张三,张三丰"},
			{"三丰", "张三丰"},
			{"zhangsan", "张三,张三丰"},
			{"zhangsanf", "张三丰"},
			{"zs", "张三,张三丰"},
			{"zsf", "张三丰"},
			{"ＺＳ", "张三,张三丰"},
			{"5678", "张三,李四"},
			{"138 1234 5678", "张三"},
			{"+86 13812345678", "张三"},
			{"1390000", "张三丰"},
			{"ZHANG@example", "张三"},
			{"腾达汽车", "李四"},
			{"shanxiongxin", "单雄信"},
			{"sxx", "单雄信"},
			{"shanxx", "单雄信"},
			{"trading", "Acme Trading Ltd"},
			{"acme tr", "Acme Trading Ltd"},
			{"王五", ""},
			{"%", ""},
		} {
			list, err := s.FindCustomers(ctx, kewei.CustomerFilter{Query: tc.q})
			if err != nil {
				t.Fatalf("search %q: %v", tc.q, err)
			}
			got := fmt.Sprint(names(list))
			if want := fmt.Sprint(splitNames(tc.want)); got != want {
				t.Errorf("search %q = %s, want %s", tc.q, got, want)
			}
			if list.Total != len(list.Items) {
				t.Errorf("search %q: total %d for %d items", tc.q, list.Total, len(list.Items))
			}
		}
	})
}

func TestSearchPagesInMatchOrder(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, _ := mustUser(t, db, "wangli", kewei.RoleConsultant)
		for _, n := range []string{"张张", "王张", "张一", "张二", "李三", "张三"} {
			mustCustomer(t, ctx, db, &kewei.Customer{Name: n, Tier: "A"})
		}
		s := sqlstore.NewCustomerService(db)
		var got []string
		f := kewei.CustomerFilter{Query: "张", Limit: 2}
		for {
			list, err := s.FindCustomers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if list.Total != 5 {
				t.Fatalf("total %d, want 5", list.Total)
			}
			got = append(got, names(list)...)
			if list.Next == "" {
				break
			}
			f.Cursor = list.Next
		}
		// Leading matches first, in key order; 王张 matches inside its name.
		if fmt.Sprint(got) != "[张一 张三 张二 张张 王张]" {
			t.Fatalf("pages: %v", got)
		}
		// An explicit sort orders the matches by it instead.
		list, err := s.FindCustomers(ctx, kewei.CustomerFilter{Query: "张", Sort: "-created_at", Tiers: []kewei.Tier{"A"}})
		if err != nil || fmt.Sprint(names(list)) != "[张三 张二 张一 王张 张张]" {
			t.Fatalf("sorted search: %v %v", names(list), err)
		}
		_, err = s.FindCustomers(ctx, kewei.CustomerFilter{Query: "张", Cursor: list.Next + "x"})
		if list.Next != "" {
			wantCode(t, err, kewei.EINVALID)
		}
	})
}

func splitNames(s string) []string {
	if s == "" {
		return []string{}
	}
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func TestCustomerFiltersAndPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, u := mustUser(t, db, "wangli", kewei.RoleConsultant)
		clock := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		tiers := []kewei.Tier{"A", "B", "C", "D"}
		for i := 0; i < 45; i++ {
			clock = clock.Add(time.Hour)
			mustCustomer(t, ctx, db, &kewei.Customer{Name: fmt.Sprintf("客户%02d", i), Tier: tiers[i%4],
				Province: []string{"广东省", "浙江省", "北京市"}[i%3], Tags: []string{fmt.Sprintf("t%d", i%5)},
				Stage: kewei.StageCustomer})
		}
		s := sqlstore.NewCustomerService(db)
		// Walk every page newest first; each customer appears once, in order.
		seen := map[string]bool{}
		f := kewei.CustomerFilter{Limit: 10}
		pages := 0
		var last string
		for {
			list, err := s.FindCustomers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if list.Total != 45 || list.TotalCapped {
				t.Fatalf("total %d capped %v", list.Total, list.TotalCapped)
			}
			for _, c := range list.Items {
				if seen[c.Name] || (last != "" && c.Name >= last) {
					t.Fatalf("page %d: %s out of order after %s", pages, c.Name, last)
				}
				seen[c.Name], last = true, c.Name
			}
			if list.Next == "" {
				break
			}
			f.Cursor = list.Next
		}
		if len(seen) != 45 || pages != 5 {
			t.Fatalf("saw %d customers in %d pages", len(seen), pages)
		}

		for _, threshold := range []int{2000, 2} { // rare and common tags take different paths
			defer sqlstore.SetCommonTag(threshold)()
			for _, tc := range []struct {
				f    kewei.CustomerFilter
				want int
			}{
				{kewei.CustomerFilter{Tiers: []kewei.Tier{"A"}}, 12},
				{kewei.CustomerFilter{Tiers: []kewei.Tier{"A", "B"}}, 23},
				{kewei.CustomerFilter{Province: "广东省", Tiers: []kewei.Tier{"A"}}, 4},
				{kewei.CustomerFilter{Tag: "t0"}, 9},
				{kewei.CustomerFilter{Tag: "t0", Tiers: []kewei.Tier{"A"}}, 3},
				{kewei.CustomerFilter{Tag: "t0", Query: "客户4"}, 1},
				{kewei.CustomerFilter{Tag: "nobody"}, 0},
				{kewei.CustomerFilter{OwnerID: &u.ID}, 45},
				{kewei.CustomerFilter{OwnerID: new(int64)}, 0},
				{kewei.CustomerFilter{Stages: []kewei.Stage{kewei.StageLost}}, 0},
				{kewei.CustomerFilter{CreatedFrom: time.Date(2026, 1, 1, 20, 0, 0, 0, time.UTC),
					CreatedTo: time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC)}, 3},
				{kewei.CustomerFilter{NeverContacted: true}, 45},
				{kewei.CustomerFilter{Query: "客户0", Tiers: []kewei.Tier{"B"}}, 3},
			} {
				list, err := s.FindCustomers(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if list.Total != tc.want || len(list.Items) != min(tc.want, 20) {
					t.Errorf("filter %+v: total %d (%d items), want %d", tc.f, list.Total, len(list.Items), tc.want)
				}
			}
		}

		byName, err := s.FindCustomers(ctx, kewei.CustomerFilter{Sort: "name", Limit: 3})
		if err != nil || fmt.Sprint(names(byName)) != "[客户00 客户01 客户02]" {
			t.Fatalf("sort by name: %v %v", names(byName), err)
		}
		_, err = s.FindCustomers(ctx, kewei.CustomerFilter{Sort: "phones"})
		wantCode(t, err, kewei.EINVALID)
		_, err = s.FindCustomers(ctx, kewei.CustomerFilter{Cursor: "garbage"})
		wantCode(t, err, kewei.EINVALID)
		_, err = s.FindCustomers(ctx, kewei.CustomerFilter{Sort: "name", Cursor: byName.Next + "x"})
		wantCode(t, err, kewei.EINVALID)
	})
}
