// Package password hashes passwords with argon2id and checks them in
// constant time.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Parameters from OWASP's password storage cheat sheet (argon2id, 19 MiB,
// two passes, one lane).
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	keyLen    = 32
	saltLen   = 16
)

// Hash returns the PHC string of password:
// $argon2id$v=19$m=19456,t=2,p=1$salt$key.
func Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, passes, memoryKiB, lanes, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// ErrMalformed is returned for a stored hash that cannot be read.
var ErrMalformed = errors.New("password: malformed hash")

// Check reports whether password matches the PHC string hash, using the
// parameters stored with it.
func Check(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, ErrMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummy is checked against when a user does not exist, so that a wrong name
// takes as long as a wrong password.
var dummy = sync.OnceValue(func() string {
	h, _ := Hash("kewei-dummy-password")
	return h
})

// Waste spends the time of one Check.
func Waste(password string) { _, _ = Check(dummy(), password) }

// Random returns a new random password of n characters from an alphabet
// without look-alikes (no 0/O, 1/l/I).
func Random(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	// Bytes at or above the largest multiple of len(alphabet) are drawn
	// again, so every character is equally likely.
	const limit = 256 - 256%len(alphabet)
	b := make([]byte, 0, n)
	r := make([]byte, 1)
	for len(b) < n {
		_, _ = rand.Read(r)
		if int(r[0]) < limit {
			b = append(b, alphabet[int(r[0])%len(alphabet)])
		}
	}
	return string(b)
}
