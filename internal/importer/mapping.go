package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/kewei-crm/kewei/internal/search"
)

// Kind is what a file holds.
type Kind string

// Kinds of import.
const (
	Customers    Kind = "customers"
	Contacts     Kind = "contacts"
	Holdings     Kind = "holdings"
	Transactions Kind = "transactions"
	Interactions Kind = "interactions"
	Products     Kind = "products"
)

// Kinds lists every kind.
var Kinds = []Kind{Customers, Contacts, Holdings, Transactions, Interactions, Products}

// field is a column Kewei understands, with the header names it goes by.
type field struct {
	name     string
	required bool
	aliases  []string
}

// fields lists, per kind, the columns and their names in Chinese and English
// exports. Names are compared without case, spaces, underscores or dashes.
var fields = map[Kind][]field{
	Customers: {
		{name: "external_id", aliases: []string{"客户编号", "客户号", "客户代码", "编号", "customer id", "customerid", "customer code", "code", "id", "external id"}},
		{name: "name", required: true, aliases: []string{"姓名", "名称", "客户名称", "客户姓名", "客户", "name", "customer name", "full name"}},
		{name: "phone", aliases: []string{"手机", "手机号", "手机号码", "电话", "联系电话", "移动电话", "电话号码", "mobile", "phone", "tel", "telephone", "cell"}},
		{name: "phone2", aliases: []string{"电话2", "备用电话", "座机", "办公电话", "phone 2", "work phone", "landline"}},
		{name: "email", aliases: []string{"邮箱", "电子邮件", "电子邮箱", "email", "e-mail", "mail"}},
		{name: "wechat", aliases: []string{"微信", "微信号", "wechat", "weixin"}},
		{name: "kind", aliases: []string{"客户类型", "类型", "个人/企业", "kind", "type", "customer type"}},
		{name: "company", aliases: []string{"公司", "单位", "工作单位", "公司名称", "company", "employer", "organisation", "organization"}},
		{name: "industry", aliases: []string{"行业", "industry"}},
		{name: "occupation", aliases: []string{"职业", "occupation", "job"}},
		{name: "gender", aliases: []string{"性别", "gender", "sex"}},
		{name: "province", aliases: []string{"省", "省份", "province", "state"}},
		{name: "city", aliases: []string{"市", "城市", "city"}},
		{name: "district", aliases: []string{"区", "区县", "district", "county"}},
		{name: "address", aliases: []string{"地址", "详细地址", "住址", "address"}},
		{name: "source", aliases: []string{"来源", "来源渠道", "渠道", "获客渠道", "source", "channel"}},
		{name: "owner", aliases: []string{"负责人", "销售顾问", "归属人", "客户经理", "owner", "consultant", "account manager"}},
		{name: "stage", aliases: []string{"阶段", "客户阶段", "状态", "stage", "status", "lifecycle"}},
		{name: "intent", aliases: []string{"意向等级", "意向", "intent", "grade"}},
		{name: "tier", aliases: []string{"价值等级", "等级", "客户等级", "tier", "level"}},
		{name: "birthday", aliases: []string{"生日", "出生日期", "birthday", "date of birth", "dob", "birth date"}},
		{name: "tags", aliases: []string{"标签", "tags", "tag"}},
		{name: "preferences", aliases: []string{"偏好", "爱好", "兴趣", "偏好与兴趣", "备注", "preferences", "interests", "notes", "note"}},
		{name: "marketing_consent", aliases: []string{"营销同意", "同意营销", "接收营销", "marketing consent", "marketing", "opt in"}},
	},
	Contacts: {
		{name: "customer", required: true, aliases: customerRef},
		{name: "name", required: true, aliases: []string{"联系人", "姓名", "联系人姓名", "name", "contact", "contact name"}},
		{name: "title", aliases: []string{"职务", "职位", "title", "position"}},
		{name: "role", aliases: []string{"角色", "决策角色", "role"}},
		{name: "phone", aliases: []string{"手机", "电话", "联系电话", "mobile", "phone"}},
		{name: "email", aliases: []string{"邮箱", "email", "e-mail"}},
		{name: "wechat", aliases: []string{"微信", "wechat"}},
		{name: "birthday", aliases: []string{"生日", "birthday"}},
		{name: "note", aliases: []string{"备注", "note", "notes"}},
	},
	Holdings: {
		{name: "customer", required: true, aliases: customerRef},
		{name: "product", required: true, aliases: []string{"产品", "产品名称", "车型", "保有产品", "product", "model"}},
		{name: "category", aliases: []string{"类别", "品类", "category"}},
		{name: "serial", aliases: []string{"车架号", "vin", "账号", "卡号", "合同号", "序列号", "serial", "account", "contract"}},
		{name: "value", aliases: []string{"金额", "价格", "余额", "value", "price", "balance", "amount"}},
		{name: "status", aliases: []string{"状态", "status"}},
		{name: "acquired_on", aliases: []string{"购买日期", "交车日期", "开户日期", "acquired", "purchase date", "delivery date", "date"}},
		{name: "first_service_due", aliases: []string{"首保日期", "首次保养", "first service"}},
		{name: "renewal_due", aliases: []string{"到期日", "续保日期", "到期日期", "renewal", "maturity", "expiry", "due"}},
		{name: "note", aliases: []string{"备注", "note"}},
	},
	Transactions: {
		{name: "customer", required: true, aliases: customerRef},
		{name: "date", required: true, aliases: []string{"日期", "交易日期", "购买日期", "订单日期", "时间", "date", "invoicedate", "invoice date", "order date", "purchase date"}},
		{name: "external_id", aliases: []string{"订单号", "单号", "发票号", "交易号", "order", "order id", "invoice", "invoiceno", "invoice no", "transaction id"}},
		{name: "amount", aliases: []string{"金额", "总额", "总金额", "消费金额", "amount", "total", "totalprice", "total price", "revenue", "sales"}},
		{name: "quantity", aliases: []string{"数量", "quantity", "qty"}},
		{name: "unit_price", aliases: []string{"单价", "unit price", "unitprice", "price"}},
		{name: "profit", aliases: []string{"利润", "毛利", "profit", "margin"}},
		{name: "product", aliases: []string{"产品", "商品", "品名", "产品名称", "product", "description", "item", "stockcode", "stock code"}},
		{name: "channel", aliases: []string{"渠道", "销售渠道", "channel"}},
		{name: "region", aliases: []string{"地区", "区域", "region", "country"}},
		{name: "note", aliases: []string{"备注", "note"}},
	},
	Interactions: {
		{name: "customer", required: true, aliases: customerRef},
		{name: "kind", aliases: []string{"方式", "沟通方式", "类型", "kind", "type", "channel"}},
		{name: "date", aliases: []string{"日期", "时间", "沟通时间", "date", "time"}},
		{name: "summary", required: true, aliases: []string{"内容", "沟通内容", "摘要", "summary", "content", "notes"}},
		{name: "outcome", aliases: []string{"结果", "outcome", "result"}},
		{name: "next_step", aliases: []string{"下一步", "next step", "next"}},
		{name: "user", aliases: []string{"跟进人", "顾问", "负责人", "user", "by", "consultant"}},
	},
	Products: {
		{name: "code", required: true, aliases: []string{"产品编码", "产品代码", "编码", "代码", "货号", "code", "sku", "product code", "stockcode", "stock code"}},
		{name: "name", required: true, aliases: []string{"产品名称", "名称", "品名", "产品", "name", "product", "description", "product name"}},
		{name: "category", aliases: []string{"类别", "品类", "分类", "category"}},
		{name: "price", aliases: []string{"价格", "单价", "售价", "指导价", "price", "list price", "unit price"}},
		{name: "purchase", aliases: []string{"购买方式", "购买类型", "一次性/复购", "purchase", "bought", "purchase kind"}},
		{name: "life_months", aliases: []string{"生命周期(月)", "生命周期（月）", "使用月数", "生命周期", "life months", "life cycle months", "life cycle"}},
		{name: "life_years", aliases: []string{"生命周期(年)", "生命周期（年）", "使用年限", "换购周期(年)", "life years", "life cycle years"}},
		{name: "active", aliases: []string{"在售", "是否在售", "active", "on sale"}},
		{name: "note", aliases: []string{"备注", "说明", "note", "notes"}},
	},
}

var customerRef = []string{"客户编号", "客户号", "客户代码", "customer", "customer id", "customerid", "customer code", "客户"}

// normalize folds a header for comparison: lower case, half-width, without
// spaces, underscores, dashes or dots.
func normalize(h string) string {
	var b strings.Builder
	for _, r := range h {
		r = unicode.ToLower(search.Fold(r))
		if unicode.IsSpace(r) || strings.ContainsRune("_-.·/（）()", r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Mapping says which column holds which field.
type Mapping struct {
	Kind    Kind
	Columns map[string]int // field → column index
	Headers []string
	Unused  []string       // headers no field took
	Custom  map[string]int // custom field key → column
}

// Map reads a header row. overrides maps a header to a field (from a mapping
// file), ahead of the built-in names; custom is every custom field's key
// with its labels. It reports required fields no column holds.
func Map(kind Kind, header []string, overrides map[string]string, custom map[string][]string) (*Mapping, error) {
	fs, ok := fields[kind]
	if !ok {
		return nil, fmt.Errorf("no import of %q: use customers, contacts, holdings, transactions, interactions or products", kind)
	}
	m := &Mapping{Kind: kind, Columns: map[string]int{}, Headers: header, Custom: map[string]int{}}
	byName := map[string]string{}
	for _, f := range fs {
		byName[normalize(f.name)] = f.name
		for _, a := range f.aliases {
			if _, taken := byName[normalize(a)]; !taken {
				byName[normalize(a)] = f.name
			}
		}
	}
	customBy := map[string]string{}
	for key, labels := range custom {
		for _, l := range append(labels, key) {
			customBy[normalize(l)] = key
		}
	}
	over := map[string]string{}
	for h, f := range overrides {
		over[normalize(h)] = f
	}
	for i, h := range header {
		n := normalize(h)
		name, ok := over[n]
		if !ok {
			name, ok = byName[n]
		}
		switch {
		case ok && name == "-":
		case ok && strings.HasPrefix(name, "custom."):
			m.Custom[strings.TrimPrefix(name, "custom.")] = i
		case ok:
			if _, dup := m.Columns[name]; !dup {
				m.Columns[name] = i
			}
		case customBy[n] != "":
			m.Custom[customBy[n]] = i
		case h != "":
			m.Unused = append(m.Unused, h)
		}
	}
	var missing []string
	for _, f := range fs {
		if _, ok := m.Columns[f.name]; f.required && !ok {
			missing = append(missing, f.name+" ("+strings.Join(f.aliases[:min(3, len(f.aliases))], ", ")+" …)")
		}
	}
	if len(missing) > 0 {
		return m, fmt.Errorf("no column for %s; name the column so, or map it in a mapping file", strings.Join(missing, "; "))
	}
	return m, nil
}

// LoadOverrides reads a mapping file: a JSON object from header to field
// name ("-" ignores a column, "custom.KEY" a custom field).
func LoadOverrides(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("mapping file %s: %w (want {\"列名\": \"field\"})", path, err)
	}
	return m, nil
}

// Template returns a header row for a kind that Map understands — the
// Chinese names, or for English the field names — the file to download and
// fill in.
func Template(kind Kind, locale string) []string {
	var out []string
	for _, f := range fields[kind] {
		if strings.HasPrefix(locale, "en") {
			out = append(out, f.name)
		} else {
			out = append(out, f.aliases[0])
		}
	}
	return out
}

// Fields lists the field names of a kind in the template's order; none for
// an unknown kind.
func Fields(kind Kind) []string {
	var out []string
	for _, f := range fields[kind] {
		out = append(out, f.name)
	}
	return out
}
