package playbook

import (
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func TestWriteICSFoldsAndEscapes(t *testing.T) {
	due := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	tasks := []*kewei.Task{{ID: 7, CustomerName: "欧阳娜娜", Action: kewei.InteractionCall, DueAt: due,
		TalkingPoints: strings.Repeat("感谢购车, 询问用车感受; ", 8)}}
	var b strings.Builder
	visits := []*kewei.Visit{{ID: 9, CustomerName: "星海公司", PlannedAt: due.Add(48 * time.Hour), Purpose: "续约洽谈"}}
	events := append(TaskEvents(tasks, func(k kewei.InteractionKind) string { return "电话" }), VisitEvents(visits, "拜访")...)
	if err := WriteICS(&b, "王丽的回访任务", events, due); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("a line of %d octets: %q", len(l), l)
		}
	}
	for _, want := range []string{"UID:task-7@kewei\r\n", "DTSTART:20261121T020000Z\r\n", "SUMMARY:电话 · 欧阳娜娜\r\n", `感谢购车\,`, "TRIGGER:-PT15M",
		"UID:visit-9@kewei\r\n", "DTSTART:20261123T020000Z\r\nDTEND:20261123T030000Z\r\nSUMMARY:拜访 · 星海公司\r\nDESCRIPTION:续约洽谈"} {
		if !strings.Contains(strings.ReplaceAll(out, "\r\n ", ""), want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
