package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestTasksCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"KEWEI_DB": "sqlite:" + filepath.Join(dir, "k.db"), "KEWEI_TIMEZONE": "Asia/Shanghai"}
	mustRun(t, vars, "demo", "--customers", "300", "--consultants", "6", "--seed", "3", "--as-of", "2026-11-01", "--password", "demo password 1")
	if out := mustRun(t, vars, "playbook", "add", "--template", "dealership_delivery", "--enable"); !strings.Contains(out, "新车交付回访") {
		t.Fatalf("playbook add said %q", out)
	}
	first := mustRun(t, vars, "tasks", "run", "--now", "2026-11-02")
	if !strings.Contains(first, "300 customers") || strings.Contains(first, ": 0 new tasks") {
		t.Fatalf("first run: %q", first)
	}
	if again := mustRun(t, vars, "tasks", "run", "--now", "2026-11-02"); !strings.Contains(again, ": 0 new tasks") {
		t.Fatalf("a second run the same day planned tasks again: %q", again)
	}
	e, out, errOut := testEnv(vars)
	if code := run(t.Context(), []string{"tasks", "run", "--now", "yesterday"}, e); code == 0 || !strings.Contains(errOut.String(), "--now") {
		t.Fatalf("a bad --now: exit %d %s%s", code, out, errOut)
	}
}
