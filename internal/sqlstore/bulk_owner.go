package sqlstore

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// bulkOwner names this process: host and process id.
func bulkOwner() string {
	host, _ := os.Hostname()
	return host + ":" + strconv.Itoa(os.Getpid())
}

// bulkAlive reports whether the process that owns a bulk load still runs:
// on this machine, by asking the system; elsewhere, by its heartbeat.
func bulkAlive(owner string, beat, now time.Time) bool {
	host, pid, ok := strings.Cut(owner, ":")
	me, _ := os.Hostname()
	n, err := strconv.Atoi(pid)
	if !ok || err != nil || host != me || runtime.GOOS == "windows" {
		return now.Sub(beat) < bulkStale
	}
	if n == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(n)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}
