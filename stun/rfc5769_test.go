package stun

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"testing"
)

const (
	rfc5769Password = "VOkJxbRl1RmTxUk/WvJxBt"
	// RFC 5769 §2.4: username U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9,
	// password "The\u00adM\u00aatr\u2168" which OpaqueString/SASLprep maps
	// to "TheMatrIX" (prepared by hand, see doc.go).
	rfc5769User     = "\u30de\u30c8\u30ea\u30c3\u30af\u30b9"
	rfc5769Realm    = "example.org"
	rfc5769Nonce    = "f//499k954d6OL34oL9FSTvy64sA"
	rfc5769Prepared = "TheMatrIX"
)

func mustParse(t *testing.T, b []byte) *Message {
	t.Helper()
	var m Message
	if err := m.Unmarshal(b); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	return &m
}

func checkRoundTrip(t *testing.T, m *Message, want []byte) {
	t.Helper()
	got, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("round trip differs:\n got %x\nwant %x", got, want)
	}
}

// rebuild re-creates m with a Builder: every attribute before the
// integrity attributes is copied raw (keeping its padding), then
// MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are computed afresh.
func rebuild(t *testing.T, m *Message, in *Integrity) []byte {
	t.Helper()
	var b Builder
	b.Reset(make([]byte, 0, 256), m.Type, m.TransactionID)
	for _, a := range m.Attributes {
		switch a.Type {
		case AttrMessageIntegrity:
			b.AddMessageIntegrity(in)
		case AttrMessageIntegritySHA256:
			b.AddMessageIntegritySHA256(in, len(a.Value))
		case AttrFingerprint:
			b.AddFingerprint()
		default:
			b.AddRaw(a)
		}
	}
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRFC5769Request(t *testing.T) {
	raw := vector(t, "RFC 5769 §2.1")
	m := mustParse(t, raw)
	if m.Type != BindingRequest {
		t.Errorf("type %v, want Binding request", m.Type)
	}
	if got := hex.EncodeToString(m.TransactionID[:]); got != "b7e7a701bc34d686fa87dfae" {
		t.Errorf("transaction ID %s", got)
	}
	if s, err := m.Software(); err != nil || string(s) != "STUN test client" {
		t.Errorf("SOFTWARE %q, %v", s, err)
	}
	if p, err := m.Priority(); err != nil || p != 0x6e0001ff {
		t.Errorf("PRIORITY %#x, %v", p, err)
	}
	if tb, err := m.ICEControlled(); err != nil || tb != 0x932ff9b151263b36 {
		t.Errorf("ICE-CONTROLLED %#x, %v", tb, err)
	}
	if u, err := m.Username(); err != nil || string(u) != "evtj:h6vY" {
		t.Errorf("USERNAME %q, %v", u, err)
	}
	a, _ := m.Get(AttrUsername)
	if !bytes.Equal(a.Padding, []byte("   ")) {
		t.Errorf("USERNAME padding %q, want three spaces (RFC 5769 pads with 0x20)", a.Padding)
	}
	in := NewShortTermIntegrity(rfc5769Password)
	if err := in.Check(m); err != nil {
		t.Errorf("integrity: %v", err)
	}
	if err := NewShortTermIntegrity("wrong").Check(m); err != ErrIntegrityMismatch {
		t.Errorf("wrong password: %v, want ErrIntegrityMismatch", err)
	}
	if err := CheckFingerprint(m); err != nil {
		t.Errorf("fingerprint: %v", err)
	}
	checkRoundTrip(t, m, raw)
	if got := rebuild(t, m, in); !bytes.Equal(got, raw) {
		t.Errorf("rebuilt message differs:\n got %x\nwant %x", got, raw)
	}
}

func testRFC5769Response(t *testing.T, prefix string, want netip.AddrPort) {
	raw := vector(t, prefix)
	m := mustParse(t, raw)
	if m.Type != BindingSuccess {
		t.Errorf("type %v, want Binding success response", m.Type)
	}
	if s, err := m.Software(); err != nil || string(s) != "test vector" {
		t.Errorf("SOFTWARE %q, %v", s, err)
	}
	got, err := m.XORMappedAddress()
	if err != nil || got != want {
		t.Errorf("XOR-MAPPED-ADDRESS %v, %v; want %v", got, err, want)
	}
	in := NewShortTermIntegrity(rfc5769Password)
	if err := in.Check(m); err != nil {
		t.Errorf("integrity: %v", err)
	}
	if err := CheckFingerprint(m); err != nil {
		t.Errorf("fingerprint: %v", err)
	}
	checkRoundTrip(t, m, raw)
	if got := rebuild(t, m, in); !bytes.Equal(got, raw) {
		t.Errorf("rebuilt message differs:\n got %x\nwant %x", got, raw)
	}

	// Building the address with the typed setter gives the same value bytes.
	var b Builder
	b.Reset(nil, BindingSuccess, m.TransactionID)
	b.AddXORMappedAddress(want)
	out, _ := b.Bytes()
	a, _ := m.Get(AttrXORMappedAddress)
	if !bytes.Equal(out[HeaderSize+4:], a.Value) {
		t.Errorf("AddXORMappedAddress value %x, want %x", out[HeaderSize+4:], a.Value)
	}
}

func TestRFC5769ResponseIPv4(t *testing.T) {
	testRFC5769Response(t, "RFC 5769 §2.2", netip.MustParseAddrPort("192.0.2.1:32853"))
}

func TestRFC5769ResponseIPv6(t *testing.T) {
	testRFC5769Response(t, "RFC 5769 §2.3", netip.MustParseAddrPort("[2001:db8:1234:5678:11:2233:4455:6677]:32853"))
}

func TestRFC5769LongTerm(t *testing.T) {
	raw := vector(t, "RFC 5769 §2.4")
	m := mustParse(t, raw)
	if u, err := m.Username(); err != nil || string(u) != rfc5769User {
		t.Errorf("USERNAME %q, %v", u, err)
	}
	if n, err := m.Nonce(); err != nil || string(n) != rfc5769Nonce {
		t.Errorf("NONCE %q, %v", n, err)
	}
	if r, err := m.Realm(); err != nil || string(r) != rfc5769Realm {
		t.Errorf("REALM %q, %v", r, err)
	}
	key, err := LongTermKey(PasswordAlgorithmMD5, rfc5769User, rfc5769Realm, rfc5769Prepared)
	if err != nil || hex.EncodeToString(key) != "e8ca7ad59d5eb0518e312911d2dab2a9" {
		t.Errorf("MD5 key %x, %v", key, err)
	}
	in, err := NewLongTermIntegrity(PasswordAlgorithmMD5, rfc5769User, rfc5769Realm, rfc5769Prepared)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Check(m); err != nil {
		t.Errorf("integrity: %v", err)
	}
	if err := CheckFingerprint(m); err != ErrAttributeNotFound {
		t.Errorf("fingerprint on a message without one: %v", err)
	}
	checkRoundTrip(t, m, raw)
	if got := rebuild(t, m, in); !bytes.Equal(got, raw) {
		t.Errorf("rebuilt message differs:\n got %x\nwant %x", got, raw)
	}
}

// RFC 8489 Appendix B.1 as corrected by erratum 6268 (the bytes in
// testdata/stun-rfc5769.txt): USERHASH, NONCE with the security-feature
// cookie, REALM, PASSWORD-ALGORITHM SHA-256 and MESSAGE-INTEGRITY-SHA256
// with the SHA-256 long-term key.
func TestRFC8489AppendixB1(t *testing.T) {
	raw := vector(t, "RFC 8489 Appendix B.1")
	m := mustParse(t, raw)
	want := Userhash(rfc5769User, rfc5769Realm)
	if hex.EncodeToString(want[:]) != "4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704" {
		t.Errorf("Userhash %x", want)
	}
	if h, err := m.Userhash(); err != nil || !bytes.Equal(h, want[:]) {
		t.Errorf("USERHASH %x, %v", h, err)
	}
	if n, err := m.Nonce(); err != nil || string(n) != "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA" {
		t.Errorf("NONCE %q, %v", n, err)
	}
	if r, err := m.Realm(); err != nil || string(r) != rfc5769Realm {
		t.Errorf("REALM %q, %v", r, err)
	}
	pa, err := m.PasswordAlgorithm()
	if err != nil || pa.Algorithm != PasswordAlgorithmSHA256 || len(pa.Params) != 0 {
		t.Errorf("PASSWORD-ALGORITHM %+v, %v", pa, err)
	}
	key, err := LongTermKey(PasswordAlgorithmSHA256, rfc5769User, rfc5769Realm, rfc5769Prepared)
	if err != nil || hex.EncodeToString(key) != "dd295a613b9058c3c23d6dc7165bda072304d989c9d0af3a8c7e184b4f9bb4a1" {
		t.Errorf("SHA-256 key %x, %v", key, err)
	}
	in, err := NewLongTermIntegrity(PasswordAlgorithmSHA256, rfc5769User, rfc5769Realm, rfc5769Prepared)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.CheckSHA256(m); err != nil {
		t.Errorf("MESSAGE-INTEGRITY-SHA256: %v", err)
	}
	if err := in.Check(m); err != nil {
		t.Errorf("Check (prefers SHA-256): %v", err)
	}
	if err := in.CheckSHA1(m); err != ErrAttributeNotFound {
		t.Errorf("CheckSHA1 without MESSAGE-INTEGRITY: %v", err)
	}
	bad, _ := NewLongTermIntegrity(PasswordAlgorithmSHA256, rfc5769User, rfc5769Realm, "TheMatrix")
	if err := bad.Check(m); err != ErrIntegritySHA256Mismatch {
		t.Errorf("wrong password: %v", err)
	}
	checkRoundTrip(t, m, raw)
	if got := rebuild(t, m, in); !bytes.Equal(got, raw) {
		t.Errorf("rebuilt message differs:\n got %x\nwant %x", got, raw)
	}
}
