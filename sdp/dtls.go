package sdp

import (
	"iter"
	"strings"
)

// Fingerprint is an a=fingerprint value (RFC 8122 §5):
// <hash-func> SP <fingerprint>, the fingerprint as colon-separated
// upper-case hex pairs.
type Fingerprint struct {
	Hash  string // "sha-256", ... (case-insensitive)
	Value string // "8A:08:..."
}

// fingerprintLen maps hash functions to their digest size in bytes
// (RFC 8122 §5; the hash function textual names registry).
func fingerprintLen(hash string) int {
	switch strings.ToLower(hash) {
	case "sha-1":
		return 20
	case "sha-224":
		return 28
	case "sha-256":
		return 32
	case "sha-384":
		return 48
	case "sha-512":
		return 64
	case "md5", "md2":
		return 16
	}
	return 0
}

// ParseFingerprint parses an a=fingerprint value and checks that the
// number of hex pairs matches the hash function (RFC 8122 §5).
func ParseFingerprint(v string) (Fingerprint, error) {
	h, fp, ok := strings.Cut(v, " ")
	if !ok || h == "" || fp == "" {
		return Fingerprint{}, errorString("sdp: a=fingerprint needs <hash-func> <fingerprint> (RFC 8122 §5)")
	}
	n := 0
	for i := 0; i < len(fp); i += 3 {
		if i+2 > len(fp) || !isHex(fp[i]) || !isHex(fp[i+1]) || (i+2 < len(fp) && fp[i+2] != ':') {
			return Fingerprint{}, errorString("sdp: a=fingerprint value must be colon-separated hex pairs (RFC 8122 §5)")
		}
		n++
	}
	if want := fingerprintLen(h); want != 0 && n != want {
		return Fingerprint{}, errorString("sdp: a=fingerprint " + h + " has the wrong number of bytes for its hash (RFC 8122 §5)")
	}
	return Fingerprint{Hash: h, Value: fp}, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// String returns "<hash> <value>".
func (f Fingerprint) String() string { return f.Hash + " " + f.Value }

// Fingerprints yields the a=fingerprint lines that apply to m: m's own
// lines, or the session-level ones when m has none (RFC 8122 §5 allows
// both levels). m may be nil for the session level only.
func (s *Session) Fingerprints(m *Media) iter.Seq[Fingerprint] {
	lines := s.SessionLines()
	if m != nil && m.HasAttribute("fingerprint") {
		lines = m.Lines
	}
	return func(yield func(Fingerprint) bool) {
		for _, l := range lines {
			if v, ok := l.attrValue("fingerprint"); ok {
				if f, err := ParseFingerprint(v); err == nil && !yield(f) {
					return
				}
			}
		}
	}
}

// Setup is the a=setup role (RFC 4145 §4, for DTLS RFC 5763 §5 and
// RFC 8842 §5).
type Setup string

// a=setup values.
const (
	SetupActive   Setup = "active"
	SetupPassive  Setup = "passive"
	SetupActpass  Setup = "actpass"
	SetupHoldconn Setup = "holdconn"
)

// Valid reports whether s is one of the four values of RFC 4145 §4.
func (s Setup) Valid() bool {
	switch s {
	case SetupActive, SetupPassive, SetupActpass, SetupHoldconn:
		return true
	}
	return false
}

// Setup returns the a=setup value for m: m's own, else the session-level
// one. m may be nil.
func (s *Session) Setup(m *Media) (Setup, bool) {
	if m != nil {
		if v, ok := m.Attribute("setup"); ok {
			return Setup(v), true
		}
	}
	v, ok := s.Attribute("setup")
	return Setup(v), ok
}
