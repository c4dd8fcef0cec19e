package playbook

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// WriteICS writes tasks as an iCalendar (RFC 5545) feed: one event per
// task at its due time, a reminder 15 minutes before. action names an
// interaction kind in the reader's language.
func WriteICS(w io.Writer, calName string, tasks []*kewei.Task, action func(kewei.InteractionKind) string, now time.Time) error {
	var b strings.Builder
	line := func(s string) {
		// Lines fold at 75 octets, continuing with a space (RFC 5545 3.1).
		for len(s) > 75 {
			cut := 75
			for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
				cut--
			}
			b.WriteString(s[:cut] + "\r\n")
			s = " " + s[cut:]
		}
		b.WriteString(s + "\r\n")
	}
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Kewei//Follow-up tasks//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escapeICS(calName))
	for _, t := range tasks {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:task-%d@kewei", t.ID))
		line("DTSTAMP:" + stamp(now))
		line("DTSTART:" + stamp(t.DueAt))
		line("DTEND:" + stamp(t.DueAt.Add(30*time.Minute)))
		line("SUMMARY:" + escapeICS(action(t.Action)+" · "+t.CustomerName))
		if t.TalkingPoints != "" {
			line("DESCRIPTION:" + escapeICS(t.TalkingPoints))
		}
		line("BEGIN:VALARM")
		line("ACTION:DISPLAY")
		line("DESCRIPTION:" + escapeICS(action(t.Action)+" · "+t.CustomerName))
		line("TRIGGER:-PT15M")
		line("END:VALARM")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeICS escapes text values (RFC 5545 3.3.11).
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}
