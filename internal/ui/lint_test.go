package ui_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
	"github.com/kewei-crm/kewei/internal/playbook"
	"github.com/kewei-crm/kewei/internal/value"
)

var (
	literalKey = regexp.MustCompile(`(?:\.T|\bT) \(?"([a-z_]+\.[a-z_.0-9]+)"|\.T\("([a-z_]+\.[a-z_.0-9]+)"|newPage\(r, "([a-z_.]+)"`)
	action     = regexp.MustCompile(`\{\{.*?\}\}`)
	tag        = regexp.MustCompile(`<[^>]*>`)
	humanAttr  = regexp.MustCompile(`(?i)\b(placeholder|title|aria-label|alt)="([^"{]*[\p{L}][^"{]*)"`)
	letters    = regexp.MustCompile(`[\p{Han}A-Za-z]{2,}`)
)

// TestTemplatesNameEveryMessage checks that every message a template or a
// handler names is in both catalogs.
func TestTemplatesNameEveryMessage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := cat.For("zh-CN"), cat.For("en")
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2] + m[3]
			if strings.HasSuffix(key, ".") {
				continue // a prefix completed at run time; TestEnumMessages covers those
			}
			if !zh.Has(key) || !en.Has(key) {
				t.Errorf("%s names the message %q, which a catalog lacks", f, key)
			}
		}
	}
}

// TestEnumMessages checks the messages whose keys are built from values:
// every value of every enumeration has a label in both languages.
func TestEnumMessages(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	str := func(v []string) []string { return v }
	sets := map[string][]string{
		"stage":             enum(kewei.Stages),
		"tier":              enum(kewei.Tiers),
		"intent":            enum(kewei.Intents),
		"source":            enum(kewei.Sources),
		"kind":              enum(kewei.CustomerKinds),
		"gender":            enum(kewei.Genders),
		"age_band":          enum(kewei.AgeBands),
		"phone":             str(kewei.PhoneLabels),
		"date":              str(kewei.DateKinds),
		"role":              enum(kewei.ContactRoles),
		"interaction":       enum(kewei.InteractionKinds),
		"holding":           enum(kewei.HoldingStatuses),
		"timeline":          str(kewei.TimelineKinds),
		"role_name":         enum(kewei.Roles),
		"cf.type":           enum(kewei.FieldTypes),
		"audit.action":      str(kewei.AuditActions),
		"severity":          enum(kewei.Severities),
		"complaint.status":  enum(kewei.ComplaintStatuses),
		"complaint.action":  append(str(kewei.ComplaintActions), "receive", "escalate"),
		"segment":           str(value.SegmentNames),
		"holiday":           str(playbook.Holidays),
		"playbook.date":     str(kewei.StepDates),
		"playbook.trigger":  enum(kewei.TriggerKinds),
		"playbook.assignee": enum(kewei.Assignees),
		"field":             append(str(kewei.PIIFields), "stage", "tier", "intent", "source", "kind", "owner", "region", "tags"),
		"error":             {kewei.EINVALID, kewei.ENOTFOUND, kewei.ECONFLICT, kewei.EUNAUTHORIZED, kewei.EFORBIDDEN, kewei.ETOOMANY},
		"reason": {kewei.ReasonRequired, kewei.ReasonTooLong, kewei.ReasonInvalidFormat, kewei.ReasonUnknownChoice,
			kewei.ReasonOutOfRange, kewei.ReasonUnknownField, kewei.ReasonDuplicate},
	}
	for _, loc := range i18n.Locales {
		tr := cat.For(loc)
		for prefix, values := range sets {
			for _, v := range values {
				if !tr.Has(prefix + "." + v) {
					t.Errorf("%s lacks %s.%s", loc, prefix, v)
				}
			}
		}
	}
}

func enum[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// TestTemplatesHoldNoText checks that templates hold no words of their own:
// what the user reads comes from the catalogs.
func TestTemplatesHoldNoText(t *testing.T) {
	files, _ := filepath.Glob("templates/*.html")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		src := string(b)
		for _, m := range humanAttr.FindAllStringSubmatch(action.ReplaceAllString(src, "{}"), -1) {
			if m[2] != "138 0000 0000" {
				t.Errorf("%s: attribute %s holds text %q", f, m[1], m[2])
			}
		}
		text := tag.ReplaceAllString(action.ReplaceAllString(src, " "), " ")
		for _, w := range letters.FindAllString(text, -1) {
			if w != "English" && w != "中文" { // each language is named in itself
				t.Errorf("%s holds the text %q: put it in the catalogs", f, w)
			}
		}
	}
}

var (
	control  = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idAttr   = regexp.MustCompile(`\bid="([^"]+)"`)
	typeAttr = regexp.MustCompile(`\btype="([^"]+)"`)
	labelFor = regexp.MustCompile(`<label[^>]*\bfor="([^"]+)"`)
)

// TestEveryControlHasALabel checks the rendered pages: every visible form
// control has a label tied to it, or an aria-label.
func TestEveryControlHasALabel(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.html")
	if len(files) == 0 {
		t.Fatal("no golden pages to check")
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		page := string(b)
		labelled := map[string]bool{}
		for _, m := range labelFor.FindAllStringSubmatch(page, -1) {
			labelled[m[1]] = true
		}
		for _, c := range control.FindAllString(page, -1) {
			if ty := typeAttr.FindStringSubmatch(c); ty != nil && (ty[1] == "hidden" || ty[1] == "submit") {
				continue
			}
			id := idAttr.FindStringSubmatch(c)
			if strings.Contains(c, "aria-label=") || (id != nil && labelled[id[1]]) {
				continue
			}
			t.Errorf("%s: a control without a label: %s", f, c)
		}
	}
}
