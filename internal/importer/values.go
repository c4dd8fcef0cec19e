package importer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/search"
)

// Policies for messy values, documented in docs/import.md:
//   - full-width digits and letters are read as half-width (１２３ → 123);
//   - numbers may carry currency signs and words (¥ ￥ $ £ € 元 RMB CNY),
//     thousands separators (1,234 or 1，234) and spaces; (12.5) is -12.5;
//   - money has at most two decimals: more are rounded half away from zero;
//   - dates are read as YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日,
//     YYYYMMDD, M/D/YYYY (the US order, as Excel's exports write it), an
//     Excel serial day number, or any of these followed by a time.

// fold turns full-width characters into half-width and trims.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		b.WriteRune(search.Fold(r))
	}
	return strings.TrimSpace(b.String())
}

var moneyNoise = strings.NewReplacer("¥", "", "$", "", "£", "", "€", "", "元", "", "RMB", "", "CNY", "", "rmb", "", ",", "", " ", "", "\u00a0", "")

// parseNumber reads a number with the policies above.
func parseNumber(s string) (float64, error) {
	s = fold(s)
	neg := strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")")
	s = moneyNoise.Replace(strings.Trim(s, "()"))
	if s == "" {
		return 0, fmt.Errorf("is empty")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("is not a number")
	}
	if neg {
		f = -f
	}
	return f, nil
}

// parseMoney reads an amount, rounding to hundredths.
func parseMoney(s string) (kewei.Money, error) {
	f, err := parseNumber(s)
	if err != nil {
		return 0, err
	}
	if math.Abs(f) > 9e13 {
		return 0, fmt.Errorf("is too large an amount")
	}
	return kewei.Money(math.Round(f * 100)), nil
}

var dateLayouts = []string{"2006-01-02", "2006-1-2", "2006/01/02", "2006/1/2", "2006.1.2", "2006年1月2日", "20060102", "1/2/2006", "01/02/2006"}

var timeLayouts = []string{"15:04:05", "15:04"}

// parseTime reads a date, perhaps with a time, in loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = fold(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("is empty")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 1 && n < 100000 && !strings.ContainsAny(s, "-/") {
		// An Excel serial day number: days since 1899-12-30.
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
		return base.Add(time.Duration(n * 24 * float64(time.Hour))).Round(time.Second), nil
	}
	day, clock, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	for _, dl := range dateLayouts {
		if clock == "" {
			if t, err := time.ParseInLocation(dl, day, loc); err == nil {
				return t, nil
			}
			continue
		}
		for _, tl := range timeLayouts {
			if t, err := time.ParseInLocation(dl+" "+tl, day+" "+strings.TrimSpace(clock), loc); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("is not a date (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or M/D/YYYY)")
}

// parseDate reads a calendar date.
func parseDate(s string, loc *time.Location) (kewei.Date, error) {
	t, err := parseTime(s, loc)
	if err != nil {
		return kewei.Date{}, err
	}
	return kewei.DateOf(t), nil
}

// parseBool reads yes/no in either language.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(fold(s)) {
	case "1", "y", "yes", "true", "是", "同意", "√", "✓", "x":
		return true, nil
	case "0", "n", "no", "false", "否", "不同意", "":
		return false, nil
	}
	return false, fmt.Errorf("is not yes or no")
}

// choice maps a value written in either language to an enumeration value.
func choice(s string, names map[string]string) (string, bool) {
	s = strings.ToLower(fold(s))
	if v, ok := names[s]; ok {
		return v, true
	}
	for _, v := range names {
		if strings.EqualFold(v, s) {
			return v, true
		}
	}
	return "", false
}

var (
	genders = map[string]string{"男": "male", "女": "female", "m": "male", "f": "female", "male": "male", "female": "female", "先生": "male", "女士": "female"}
	stages  = map[string]string{"意向": "prospect", "意向客户": "prospect", "潜在": "prospect", "潜在客户": "prospect", "保有": "customer",
		"保有客户": "customer", "客户": "customer", "成交": "customer", "已成交": "customer", "流失": "lost", "流失客户": "lost", "已流失": "lost"}
	kinds = map[string]string{"个人": "individual", "企业": "company", "公司": "company", "单位": "company", "person": "individual",
		"organisation": "company", "organization": "company", "business": "company"}
	sources = map[string]string{"调查": "survey", "问卷": "survey", "活动": "event", "服务": "service_visit", "售后": "service_visit",
		"服务回访": "service_visit", "service visit": "service_visit", "call centre": "call_centre", "call center": "call_centre",
		"门店": "store", "到店": "store", "展厅": "store", "展会": "expo", "网站": "website", "官网": "website", "网络": "website",
		"呼叫中心": "call_centre", "电话": "call_centre", "投诉": "complaint", "转介绍": "referral", "介绍": "referral", "其他": "other"}
	interactionKinds = map[string]string{"电话": "call", "来电": "call", "去电": "call", "短信": "sms", "邮件": "email", "拜访": "visit",
		"面谈": "visit", "到店": "visit", "微信": "wechat", "活动": "event", "信函": "letter", "信": "letter"}
	purchases = map[string]string{"一次性": "once", "耐用": "once", "耐用品": "once", "单次": "once", "一次": "once",
		"复购": "repeat", "重复": "repeat", "重复购买": "repeat", "消耗": "repeat", "消耗品": "repeat", "多次": "repeat"}
	roles = map[string]string{"决策人": "decision_maker", "决策者": "decision_maker", "影响人": "influencer", "影响者": "influencer",
		"前台": "front_desk", "使用人": "user", "使用者": "user", "其他": "other"}
)
