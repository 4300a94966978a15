package transport

import (
	"crypto/sha1" //nolint:gosec // RFC 8122 §5 hash names; sha-1 is checked only if the peer lists it
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Hash function names of the a=fingerprint attribute (RFC 8122 §5, IANA
// "Hash Function Textual Names"), lower case as RFC 8122 §5 recommends.
const (
	HashSHA1   = "sha-1"
	HashSHA256 = "sha-256"
	HashSHA384 = "sha-384"
	HashSHA512 = "sha-512"
)

// Fingerprint is one a=fingerprint value (RFC 8122 §5):
// hash-func SP fingerprint, the fingerprint being upper-case hex byte pairs
// separated by colons.
type Fingerprint struct {
	Hash  string // lower-case hash function name, e.g. "sha-256"
	Value []byte
}

// ErrFingerprintMismatch is returned (wrapped) by the DTLS handshake when the
// peer's certificate matches none of the fingerprints from its SDP
// (RFC 8122 §5, RFC 8827 §6.5).
var ErrFingerprintMismatch = errors.New("transport: peer certificate does not match any a=fingerprint (RFC 8122 §5, RFC 8827 §6.5)")

// String formats f as the value of an a=fingerprint attribute.
func (f Fingerprint) String() string {
	var b strings.Builder
	b.WriteString(f.Hash)
	b.WriteByte(' ')
	for i, v := range f.Value {
		if i > 0 {
			b.WriteByte(':')
		}
		const digits = "0123456789ABCDEF"
		b.WriteByte(digits[v>>4])
		b.WriteByte(digits[v&0xf])
	}
	return b.String()
}

// ParseFingerprint parses the value of an a=fingerprint attribute, e.g.
// "sha-256 6B:8B:...". Hash names are case-insensitive (RFC 8122 §5).
func ParseFingerprint(s string) (Fingerprint, error) {
	name, value, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Fingerprint{}, fmt.Errorf("transport: a=fingerprint %q has no space between hash-func and fingerprint (RFC 8122 §5)", s)
	}
	name = strings.ToLower(name)
	h := newHash(name)
	if h == nil {
		return Fingerprint{}, fmt.Errorf("transport: a=fingerprint hash %q not supported, want sha-1, sha-256, sha-384 or sha-512 (RFC 8122 §5)", name)
	}
	value = strings.TrimSpace(value)
	parts := strings.Split(value, ":")
	out := make([]byte, len(parts))
	for i, p := range parts {
		if len(p) != 2 {
			return Fingerprint{}, fmt.Errorf("transport: a=fingerprint byte %d %q is not two hex digits (RFC 8122 §5)", i, p)
		}
		if _, err := hex.Decode(out[i:i+1], []byte(p)); err != nil {
			return Fingerprint{}, fmt.Errorf("transport: a=fingerprint byte %d %q is not hex (RFC 8122 §5)", i, p)
		}
	}
	if len(out) != h.Size() {
		return Fingerprint{}, fmt.Errorf("transport: a=fingerprint %s has %d bytes, want %d (RFC 8122 §5)", name, len(out), h.Size())
	}
	return Fingerprint{Hash: name, Value: out}, nil
}

func newHash(name string) hash.Hash {
	switch name {
	case HashSHA1:
		return sha1.New() //nolint:gosec
	case HashSHA256:
		return sha256.New()
	case HashSHA384:
		return sha512.New384()
	case HashSHA512:
		return sha512.New()
	}
	return nil
}

// hashPreference ranks the supported hash functions, strongest first.
var hashPreference = [...]string{HashSHA512, HashSHA384, HashSHA256, HashSHA1}

// VerifyFingerprint checks the DER certificate cert against the
// fingerprints the peer signalled, as RFC 8122 §5 says: "An endpoint MUST
// select the set of fingerprints that use its most preferred hash function
// (out of those offered by the peer) and verify that each certificate used
// matches one fingerprint out of that set." Fingerprints of weaker hashes
// listed beside a stronger one are not consulted, so a collision in the
// weak hash cannot stand in for the strong one. Values are compared in
// constant time.
func VerifyFingerprint(cert []byte, want []Fingerprint) error {
	if len(want) == 0 {
		return fmt.Errorf("%w: the SDP lists no fingerprint", ErrFingerprintMismatch)
	}
	name := ""
	for _, pref := range hashPreference {
		for _, f := range want {
			if strings.EqualFold(f.Hash, pref) {
				name = pref
				break
			}
		}
		if name != "" {
			break
		}
	}
	if name == "" {
		return fmt.Errorf("%w: no fingerprint uses a supported hash function (sha-1, sha-256, sha-384, sha-512)", ErrFingerprintMismatch)
	}
	h := newHash(name)
	h.Write(cert)
	got := h.Sum(nil)
	for _, f := range want {
		if strings.EqualFold(f.Hash, name) && len(got) == len(f.Value) && subtle.ConstantTimeCompare(got, f.Value) == 1 {
			return nil
		}
	}
	return fmt.Errorf("%w: certificate hashes to %s (RFC 8122 §5 checks only the %s fingerprints)", ErrFingerprintMismatch, Fingerprint{Hash: name, Value: got}, name)
}
