package password

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q, %v", h, err)
	}
	if ok, err := Check(h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := Check(h, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := Hash("correct horse battery")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$YQ$YQ", "$argon2id$v=19$m=x$YQ$YQ"} {
		if _, err := Check(bad, "x"); err != ErrMalformed {
			t.Errorf("Check(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := Random(16)
		if len(p) != 16 || strings.ContainsAny(p, "0O1lI") || seen[p] {
			t.Fatalf("random password %q", p)
		}
		seen[p] = true
	}
}
