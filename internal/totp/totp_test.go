package totp

import (
	"strings"
	"testing"
	"time"
)

// The RFC 6238 test vectors for SHA-1 (secret "12345678901234567890"),
// cut to six digits.
func TestRFC6238(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := Code(secret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.want {
			t.Errorf("Code at %d = %s, %v; want %s", tc.unix, got, err, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	s := NewSecret()
	now := time.Now()
	code, _ := Code(s, now)
	if !Check(s, code, now) || !Check(s, code, now.Add(25*time.Second)) {
		t.Fatal("the current code is refused")
	}
	if Check(s, code, now.Add(2*time.Minute)) || Check(s, "12345", now) || Check("!!", code, now) {
		t.Fatal("a wrong code is accepted")
	}
	if u := URL("Kewei", "admin", s); !strings.HasPrefix(u, "otpauth://totp/Kewei:admin?") {
		t.Fatalf("url %s", u)
	}
}
