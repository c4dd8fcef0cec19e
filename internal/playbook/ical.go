package playbook

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
)

// Event is one entry of a calendar feed.
type Event struct {
	UID         string // unique within the feed's host
	Start, End  time.Time
	Summary     string
	Description string
}

// TaskEvents turns tasks into events at their due time, half an hour
// long. action names an interaction kind in the reader's language.
func TaskEvents(tasks []*kewei.Task, action func(kewei.InteractionKind) string) []Event {
	out := make([]Event, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, Event{UID: fmt.Sprintf("task-%d", t.ID), Start: t.DueAt, End: t.DueAt.Add(30 * time.Minute),
			Summary: action(t.Action) + " · " + t.CustomerName, Description: t.TalkingPoints})
	}
	return out
}

// VisitEvents turns visits into events at their planned time, an hour
// long, under label ("拜访", "Visit").
func VisitEvents(visits []*kewei.Visit, label string) []Event {
	out := make([]Event, 0, len(visits))
	for _, v := range visits {
		out = append(out, Event{UID: fmt.Sprintf("visit-%d", v.ID), Start: v.PlannedAt, End: v.PlannedAt.Add(time.Hour),
			Summary: label + " · " + v.CustomerName, Description: v.Purpose})
	}
	return out
}

// WriteICS writes events as an iCalendar (RFC 5545) feed, each with a
// reminder 15 minutes before.
func WriteICS(w io.Writer, calName string, events []Event, now time.Time) error {
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
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + e.UID + "@kewei")
		line("DTSTAMP:" + stamp(now))
		line("DTSTART:" + stamp(e.Start))
		line("DTEND:" + stamp(e.End))
		line("SUMMARY:" + escapeICS(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeICS(e.Description))
		}
		line("BEGIN:VALARM")
		line("ACTION:DISPLAY")
		line("DESCRIPTION:" + escapeICS(e.Summary))
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
