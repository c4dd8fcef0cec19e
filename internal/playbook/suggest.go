package playbook

import (
	"context"
	"fmt"
	"strings"

	"github.com/kewei-crm/kewei"
)

// Placeholders in a step's talking points that planning replaces with the
// customer's likeliest next purchases and why: {推荐} in Chinese,
// {recommendations} in English.
const (
	SuggestZH = "{推荐}"
	SuggestEN = "{recommendations}"
)

// Recommender gives a customer's likeliest next purchases, for the
// planner (no scope check; none before the recommender's first training).
type Recommender interface {
	Suggest(ctx context.Context, customerID int64, k int) ([]kewei.Recommendation, error)
}

// suggestions fills the placeholders of the planned tasks' talking points
// with three recommendations each; without a recommender, or for a
// customer with none, the placeholder is dropped.
func (s *Service) suggestions(ctx context.Context, ts []kewei.PlannedTask) error {
	for i := range ts {
		t := &ts[i]
		zh, en := strings.Contains(t.TalkingPoints, SuggestZH), strings.Contains(t.TalkingPoints, SuggestEN)
		if !zh && !en {
			continue
		}
		var recs []kewei.Recommendation
		if s.Recommender != nil {
			var err error
			if recs, err = s.Recommender.Suggest(ctx, t.CustomerID, 3); err != nil {
				return fmt.Errorf("recommendations for customer %d: %w", t.CustomerID, err)
			}
		}
		t.TalkingPoints = strings.ReplaceAll(t.TalkingPoints, SuggestZH, SuggestionText(recs, "zh"))
		t.TalkingPoints = strings.ReplaceAll(t.TalkingPoints, SuggestEN, SuggestionText(recs, "en"))
		t.TalkingPoints = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t.TalkingPoints), "；;"))
	}
	return nil
}

// SuggestionText writes recommendations with their reasons in one line, in
// Chinese ("zh") or English.
func SuggestionText(recs []kewei.Recommendation, lang string) string {
	if len(recs) == 0 {
		return ""
	}
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = r.Product + reasonText(r, lang)
	}
	if lang == "zh" {
		return "可推荐：" + strings.Join(parts, "、")
	}
	return "Suggest: " + strings.Join(parts, ", ")
}

func reasonText(r kewei.Recommendation, lang string) string {
	zh := lang == "zh"
	switch {
	case r.Kind == "again" && zh:
		return fmt.Sprintf("（已购 %d 次）", r.Times)
	case r.Kind == "again":
		return fmt.Sprintf(" (bought on %d days)", r.Times)
	case r.Kind == "also" && zh:
		return fmt.Sprintf("（买过 %s 的客户 %.0f%% 也买了）", r.Because, r.Share*100)
	case r.Kind == "also":
		return fmt.Sprintf(" (bought by %.0f%% of the buyers of %s)", r.Share*100, r.Because)
	case r.Kind == "popular" && zh:
		return fmt.Sprintf("（近期 %d 位客户购买）", r.Buyers)
	case r.Kind == "popular":
		return fmt.Sprintf(" (bought by %d customers lately)", r.Buyers)
	}
	return ""
}
