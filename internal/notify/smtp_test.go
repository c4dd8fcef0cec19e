package notify

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
)

// fakeSMTP accepts one message and hands back its data.
func fakeSMTP(t *testing.T) (string, chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		say := func(s string) { c.Write([]byte(s + "\r\n")) }
		say("220 fake")
		var data strings.Builder
		inData := false
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if inData {
				if line == ".\r\n" {
					inData = false
					got <- data.String()
					say("250 ok")
					continue
				}
				data.WriteString(line)
				continue
			}
			switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
			case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
				say("250 fake")
			case strings.HasPrefix(cmd, "DATA"):
				inData = true
				say("354 go")
			case strings.HasPrefix(cmd, "QUIT"):
				say("221 bye")
				return
			default:
				say("250 ok")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSMTPSendsUTF8(t *testing.T) {
	addr, got := fakeSMTP(t)
	s, err := ParseSMTP("smtp://" + addr + "?from=kewei@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "wl@example.com", "今天的回访任务", "张三\n李四"); err != nil {
		t.Fatal(err)
	}
	msg := <-got
	if !strings.Contains(msg, "Subject: =?utf-8?q?") || !strings.Contains(msg, "张三\r\n李四") || !strings.Contains(msg, "To: wl@example.com") {
		t.Errorf("message:\n%s", msg)
	}
	for _, bad := range []string{"http://x", "smtp://host:25", "smtp:///?from=a@b"} {
		if _, err := ParseSMTP(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := s.Send(context.Background(), "a@b\r\nBcc: x@y", "s", "b"); err == nil {
		t.Error("a header injection through the address was sent")
	}
}
