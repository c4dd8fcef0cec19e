package notify

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// SMTP sends email through a mail server named by a URL:
// smtp://user:password@host:587?from=kewei@example.com. The connection
// upgrades to TLS when the server offers STARTTLS; a password is only
// sent over TLS (or to localhost), as net/smtp insists.
type SMTP struct {
	Addr string
	From string
	Auth smtp.Auth
}

// ParseSMTP reads the mail server's URL.
func ParseSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return nil, fmt.Errorf("the mail server must be a URL such as smtp://user:password@mail.example.com:587?from=kewei@example.com")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("the mail server URL needs ?from=ADDRESS")
	}
	s := &SMTP{Addr: u.Host, From: from}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		s.Addr = net.JoinHostPort(u.Host, "25")
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		host, _, _ := net.SplitHostPort(s.Addr)
		s.Auth = smtp.PlainAuth("", u.User.Username(), pw, host)
	}
	return s, nil
}

// Send writes one plain-text UTF-8 message.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") {
		return fmt.Errorf("bad address %q", to)
	}
	msg := "From: " + s.From + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) +
		"\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(s.Addr, s.Auth, s.From, []string{to}, []byte(msg)) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
