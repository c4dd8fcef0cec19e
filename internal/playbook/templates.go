package playbook

import "github.com/kewei-crm/kewei"

// Built-in templates, ready to enable.
const (
	TemplateDelivery = "dealership_delivery"
	TemplateProspect = "prospect_followup"
	TemplateBank     = "bank_tiers"
	TemplateHotel    = "hotel_vip"
	// TemplateRetention plans the tasks the churn risk list asks for.
	TemplateRetention = "churn_retention"
)

// Templates lists the built-in templates.
var Templates = []string{TemplateDelivery, TemplateProspect, TemplateBank, TemplateHotel, TemplateRetention}

type step = kewei.PlaybookStep

// holidaySteps greet before the four big holidays, two days ahead.
func holidaySteps(action kewei.InteractionKind, tiers ...kewei.Tier) []step {
	var out []step
	for _, h := range []string{SpringFestival, DragonBoat, MidAutumn, NationalDay} {
		out = append(out, step{Key: h, Trigger: kewei.TriggerHoliday, Holiday: h, OffsetDays: -2, Action: action,
			Assignee: kewei.AssignOwner, TalkingPoints: "节日问候；顺带了解近况与需求", Tiers: tiers})
	}
	return out
}

// Template returns a new, disabled playbook from a built-in template, or
// nil for an unknown key.
func Template(key string) *kewei.Playbook {
	pb := &kewei.Playbook{Template: key}
	switch key {
	case TemplateDelivery:
		pb.Name, pb.Description = "新车交付回访", "交车后 24 小时内首次回访并寄感谢信，3 天内经理回访，7 天内第三次回访；此后每两个月联系一次，生日、家人生日与交车周年问候。"
		pb.Audience = kewei.Audience{Stages: []kewei.Stage{kewei.StageCustomer}}
		pb.Steps = []step{
			{Key: "call_1", Trigger: kewei.TriggerDate, Date: kewei.DateDelivery, OffsetDays: 1, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "感谢购车；询问提车后的第一印象；确认车辆功能已讲解清楚"},
			{Key: "thank_you_letter", Trigger: kewei.TriggerDate, Date: kewei.DateDelivery, OffsetDays: 1, Action: kewei.InteractionLetter,
				Assignee: kewei.AssignOwner, TalkingPoints: "寄出感谢信"},
			{Key: "manager_call", Trigger: kewei.TriggerDate, Date: kewei.DateDelivery, OffsetDays: 3, Action: kewei.InteractionCall,
				Assignee: kewei.AssignManager, TalkingPoints: "销售经理致谢；了解对销售顾问服务的评价"},
			{Key: "call_3", Trigger: kewei.TriggerDate, Date: kewei.DateDelivery, OffsetDays: 7, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "车辆使用情况；首保提醒；如有抱怨如实记录"},
			{Key: "keep_in_touch", Trigger: kewei.TriggerRecurring, EveryDays: 60, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "日常关怀；保养与用车提醒"},
			{Key: "birthday", Trigger: kewei.TriggerDate, Date: kewei.DateBirthday, Action: kewei.InteractionSMS,
				Assignee: kewei.AssignOwner, TalkingPoints: "生日祝福"},
			{Key: "family_birthday", Trigger: kewei.TriggerDate, Date: kewei.DateFamilyBirthday, Action: kewei.InteractionSMS,
				Assignee: kewei.AssignOwner, TalkingPoints: "家人生日祝福"},
			{Key: "anniversary", Trigger: kewei.TriggerDate, Date: kewei.DateAnniversary, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "交车周年问候；提醒年度保养"},
			{Key: "after_service", Trigger: kewei.TriggerDate, Date: kewei.DateService, OffsetDays: 2, Action: kewei.InteractionCall,
				Assignee: kewei.AssignService, TalkingPoints: "售后回访：服务是否满意，问题是否解决"},
			{Key: "survey", Trigger: kewei.TriggerDate, Date: kewei.DateDelivery, OffsetDays: 10, Action: kewei.InteractionSMS,
				Assignee: kewei.AssignOwner, TalkingPoints: "发送满意度调查链接", SurveyID: 1},
			{Key: "replacement", Trigger: kewei.TriggerDate, Date: kewei.DateReplacement, OffsetDays: -60, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "两个月后到换购周期：了解置换意向，邀约到店试驾新车型；" + SuggestZH},
		}
	case TemplateProspect:
		pb.Name, pb.Description = "意向客户跟进", "按意向等级跟进：H 级每 2 天、A 级每 5 天、B 级每 10 天、C 级每 30 天；节前 2 天问候。"
		pb.Audience = kewei.Audience{Stages: []kewei.Stage{kewei.StageProspect}}
		for _, g := range []struct {
			intent kewei.Intent
			days   int
			action kewei.InteractionKind
		}{{kewei.IntentH, 2, kewei.InteractionCall}, {kewei.IntentA, 5, kewei.InteractionCall}, {kewei.IntentB, 10, kewei.InteractionWeChat}, {kewei.IntentC, 30, kewei.InteractionSMS}} {
			pb.Steps = append(pb.Steps, step{Key: "follow_up_" + string(g.intent), Trigger: kewei.TriggerRecurring, EveryDays: g.days,
				Action: g.action, Assignee: kewei.AssignOwner, TalkingPoints: "了解购买进展与顾虑；邀约到店或试驾", Intents: []kewei.Intent{g.intent}})
		}
		pb.Steps = append(pb.Steps, holidaySteps(kewei.InteractionSMS)...)
	case TemplateBank:
		pb.Name, pb.Description = "银行分层维护", "VIP 客户每月拜访，重点客户每月电话，其余客户每两个月短信；生日问候，节前问候。"
		pb.Steps = []step{
			{Key: "vip_visit", Trigger: kewei.TriggerRecurring, EveryDays: 30, Action: kewei.InteractionVisit, Assignee: kewei.AssignOwner,
				TalkingPoints: "资产配置回顾；到期产品续作", Tiers: []kewei.Tier{kewei.TierA}},
			{Key: "key_call", Trigger: kewei.TriggerRecurring, EveryDays: 30, Action: kewei.InteractionCall, Assignee: kewei.AssignOwner,
				TalkingPoints: "产品到期与新产品介绍", Tiers: []kewei.Tier{kewei.TierB}},
			{Key: "message", Trigger: kewei.TriggerRecurring, EveryDays: 60, Action: kewei.InteractionSMS, Assignee: kewei.AssignOwner,
				TalkingPoints: "理财资讯", Tiers: []kewei.Tier{kewei.TierC, kewei.TierD}},
			{Key: "contract_end", Trigger: kewei.TriggerDate, Date: kewei.DateContractEnd, OffsetDays: -7, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "产品一周后到期；沟通续作意向；" + SuggestZH},
			{Key: "birthday", Trigger: kewei.TriggerDate, Date: kewei.DateBirthday, Action: kewei.InteractionSMS, Assignee: kewei.AssignOwner,
				TalkingPoints: "生日祝福"},
		}
		pb.Steps = append(pb.Steps, holidaySteps(kewei.InteractionSMS, kewei.TierA, kewei.TierB)...)
	case TemplateHotel:
		pb.Name, pb.Description = "酒店 VIP 关怀", "VIP 与重点客人：入会次日致电欢迎，每季度微信问候，生日与节前问候。"
		pb.Audience = kewei.Audience{Tiers: []kewei.Tier{kewei.TierA, kewei.TierB}}
		pb.Steps = []step{
			{Key: "welcome", Trigger: kewei.TriggerDate, Date: kewei.DateCreated, OffsetDays: 1, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "欢迎成为会员；了解入住偏好"},
			{Key: "quarterly", Trigger: kewei.TriggerRecurring, EveryDays: 90, Action: kewei.InteractionWeChat, Assignee: kewei.AssignOwner,
				TalkingPoints: "近期活动与偏好更新"},
			{Key: "birthday", Trigger: kewei.TriggerDate, Date: kewei.DateBirthday, Action: kewei.InteractionCall, Assignee: kewei.AssignOwner,
				TalkingPoints: "生日祝福；赠送礼遇"},
			{Key: "tier_up", Trigger: kewei.TriggerEvent, Event: kewei.EventTierUp, OffsetDays: 1, Action: kewei.InteractionCall,
				Assignee: kewei.AssignManager, TalkingPoints: "祝贺升级；介绍新礼遇"},
		}
		pb.Steps = append(pb.Steps, holidaySteps(kewei.InteractionSMS)...)
	case TemplateRetention:
		pb.Name, pb.Description = "流失预警挽留", "流失风险名单上被要求挽留的客户：负责人当天致电了解近况与不满，一周后经理上门或致电确认问题已解决。"
		pb.Steps = []step{
			{Key: "retention_call", Trigger: kewei.TriggerEvent, Event: kewei.EventChurnRisk, Action: kewei.InteractionCall,
				Assignee: kewei.AssignOwner, TalkingPoints: "流失预警：了解近况与不满之处；对照风险原因提出挽留方案"},
			{Key: "retention_follow_up", Trigger: kewei.TriggerEvent, Event: kewei.EventChurnRisk, OffsetDays: 7, Action: kewei.InteractionVisit,
				Assignee: kewei.AssignManager, TalkingPoints: "经理跟进：确认问题已解决，客户是否愿意继续合作"},
		}
	default:
		return nil
	}
	return pb
}
