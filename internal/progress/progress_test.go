package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestShareWhenTheTotalIsUnknown(t *testing.T) {
	var b bytes.Buffer
	bar := New(&b, "importing", 0)
	bar.every = 0
	bar.Set(500, 0.25)
	bar.Done()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "importing 500 (25%)") || !strings.Contains(lines[0], "left") ||
		!strings.HasPrefix(lines[1], "importing 500 (100%)") {
		t.Fatalf("lines %q", lines)
	}
}

func TestKnownTotal(t *testing.T) {
	var b bytes.Buffer
	bar := New(&b, "loading", 200)
	bar.every = 0
	bar.Add(50)
	if !strings.HasPrefix(b.String(), "loading 50/200 (25%)") {
		t.Fatalf("%q", b.String())
	}
}
