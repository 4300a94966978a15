package stun

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestMessageTypeEncoding(t *testing.T) {
	for _, tc := range []struct {
		t MessageType
		v uint16
	}{
		{BindingRequest, 0x0001},
		{BindingIndicate, 0x0011},
		{BindingSuccess, 0x0101},
		{BindingError, 0x0111},
		{MessageType{Method: 0xfff, Class: ClassRequest}, 0x3eef},
		{MessageType{Method: 0x003, Class: ClassSuccessResponse}, 0x0103}, // TURN Allocate success
	} {
		if got := tc.t.Value(); got != tc.v {
			t.Errorf("%v.Value() = %#04x, want %#04x", tc.t, got, tc.v)
		}
		if got := ParseMessageType(tc.v); got != tc.t {
			t.Errorf("ParseMessageType(%#04x) = %v, want %v", tc.v, got, tc.t)
		}
	}
	for v := uint16(0); v < 0x4000; v++ {
		if got := ParseMessageType(v).Value(); got != v {
			t.Fatalf("type %#04x does not survive decode/encode: %#04x", v, got)
		}
	}
	if s := BindingSuccess.String(); s != "Binding success response" {
		t.Errorf("String() = %q", s)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	good := vector(t, "RFC 5769 §2.1")
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"short", good[:19], "message 19 bytes, want at least 20 (RFC 8489 §5)"},
		{"top bits", mut(func(b []byte) []byte { b[0] |= 0x80; return b }), "first two bits of message type are 10, want 00 (RFC 8489 §5)"},
		{"cookie", mut(func(b []byte) []byte { b[4] = 0; return b }), "magic cookie 0x0012A442, want 0x2112A442 (RFC 8489 §5)"},
		{"length not multiple of 4", mut(func(b []byte) []byte { b[3]++; return b }), "message length 89, want a multiple of 4"},
		{"truncated", good[:len(good)-4], "message length 88, but 84 bytes follow the header"},
		{"trailing", append(bytes.Clone(good), 0, 0, 0, 0), "message length 88, but 92 bytes follow the header"},
		{"attribute overrun", mut(func(b []byte) []byte { b[HeaderSize+3] = 0xff; return b }),
			"attribute 0x8022 at offset 20 length 255 (padded 256) overruns the message"},
	} {
		var m Message
		err := m.Unmarshal(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want it to contain %q", tc.name, err, tc.want)
		}
		if len(m.Attributes) != 0 || m.Raw != nil {
			t.Errorf("%s: failed Unmarshal left %d attributes", tc.name, len(m.Attributes))
		}
		if _, err := FindAttribute(tc.in, AttrFingerprint); err == nil {
			t.Errorf("%s: FindAttribute accepted a malformed message", tc.name)
		}
	}
}

// Every typed setter's output reads back through its getter.
func TestBuilderGetterRoundTrip(t *testing.T) {
	tid := TransactionID{0xb7, 0xe7, 0xa7, 1, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae}
	v4 := netip.MustParseAddrPort("192.0.2.1:32853")
	v6 := netip.MustParseAddrPort("[2001:db8::1]:443")
	uh := Userhash("u", "r")
	algs := []PasswordAlgorithmParams{{Algorithm: PasswordAlgorithmMD5}, {Algorithm: PasswordAlgorithmSHA256}, {Algorithm: 7, Params: []byte{1, 2, 3}}}
	var b Builder
	b.Reset(nil, BindingError, tid)
	b.AddMappedAddress(v6)
	b.AddXORMappedAddress(v6)
	b.AddAlternateServer(v4)
	b.AddUsername("a:b")
	b.AddUserhash(uh)
	b.AddRealm("example.org")
	b.AddNonce("n0nce")
	b.AddSoftware("plainrtc")
	b.AddAlternateDomain("alt.example.org")
	b.AddErrorCode(CodeRoleConflict, "")
	b.AddUnknownAttributes([]AttrType{0x0031, 0x7fff})
	b.AddPasswordAlgorithm(algs[1])
	b.AddPasswordAlgorithms(algs)
	b.AddPriority(0x6e0001ff)
	b.AddUseCandidate()
	b.AddICEControlled(1)
	b.AddICEControlling(2)
	in := NewShortTermIntegrity("pwd")
	b.AddMessageIntegrity(in)
	b.AddMessageIntegritySHA256(in, 16)
	b.AddFingerprint()
	raw, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := mustParse(t, raw)
	checkRoundTrip(t, m, raw)
	if m.Type != BindingError || m.TransactionID != tid {
		t.Errorf("header %v %x", m.Type, m.TransactionID)
	}
	expectAddr := func(name string, got netip.AddrPort, err error, want netip.AddrPort) {
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", name, got, err, want)
		}
	}
	a, err := m.MappedAddress()
	expectAddr("MAPPED-ADDRESS", a, err, v6)
	a, err = m.XORMappedAddress()
	expectAddr("XOR-MAPPED-ADDRESS", a, err, v6)
	a, err = m.AlternateServer()
	expectAddr("ALTERNATE-SERVER", a, err, v4)
	expectText := func(name string, got []byte, err error, want string) {
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	s, err := m.Username()
	expectText("USERNAME", s, err, "a:b")
	s, err = m.Userhash()
	expectText("USERHASH", s, err, string(uh[:]))
	s, err = m.Realm()
	expectText("REALM", s, err, "example.org")
	s, err = m.Nonce()
	expectText("NONCE", s, err, "n0nce")
	s, err = m.Software()
	expectText("SOFTWARE", s, err, "plainrtc")
	s, err = m.AlternateDomain()
	expectText("ALTERNATE-DOMAIN", s, err, "alt.example.org")
	ec, err := m.ErrorCode()
	if err != nil || ec.Code != 487 || string(ec.Reason) != "Role Conflict" || ec.Class() != 4 || ec.Number() != 87 {
		t.Errorf("ERROR-CODE %v, %v", ec, err)
	}
	ua, err := m.UnknownAttributes(nil)
	if err != nil || !slices.Equal(ua, []AttrType{0x0031, 0x7fff}) {
		t.Errorf("UNKNOWN-ATTRIBUTES %v, %v", ua, err)
	}
	pa, err := m.PasswordAlgorithm()
	if err != nil || pa.Algorithm != PasswordAlgorithmSHA256 {
		t.Errorf("PASSWORD-ALGORITHM %v, %v", pa, err)
	}
	pas, err := m.PasswordAlgorithms(nil)
	if err != nil || len(pas) != 3 || pas[0].Algorithm != PasswordAlgorithmMD5 || pas[2].Algorithm != 7 || !bytes.Equal(pas[2].Params, []byte{1, 2, 3}) {
		t.Errorf("PASSWORD-ALGORITHMS %v, %v", pas, err)
	}
	if p, err := m.Priority(); err != nil || p != 0x6e0001ff {
		t.Errorf("PRIORITY %#x, %v", p, err)
	}
	if !m.UseCandidate() {
		t.Error("USE-CANDIDATE missing")
	}
	if v, err := m.ICEControlled(); err != nil || v != 1 {
		t.Errorf("ICE-CONTROLLED %d, %v", v, err)
	}
	if v, err := m.ICEControlling(); err != nil || v != 2 {
		t.Errorf("ICE-CONTROLLING %d, %v", v, err)
	}
	if err := in.CheckSHA1(m); err != nil {
		t.Errorf("MESSAGE-INTEGRITY: %v", err)
	}
	if err := in.CheckSHA256(m); err != nil {
		t.Errorf("MESSAGE-INTEGRITY-SHA256: %v", err)
	}
	if err := CheckFingerprint(m); err != nil {
		t.Errorf("FINGERPRINT: %v", err)
	}
	// Flipping any byte before FINGERPRINT breaks it.
	for i := range len(raw) - 8 {
		c := bytes.Clone(raw)
		c[i] ^= 1
		var mm Message
		if mm.Unmarshal(c) != nil {
			continue
		}
		if err := CheckFingerprint(&mm); err == nil {
			t.Fatalf("byte %d flipped, fingerprint still verifies", i)
		}
	}
}

func TestGetterErrors(t *testing.T) {
	tid := TransactionID{}
	var b Builder
	b.Reset(nil, BindingRequest, tid)
	b.Add(AttrXORMappedAddress, []byte{0, 1, 0, 0, 1, 2, 3})    // IPv4, 7 bytes
	b.Add(AttrMappedAddress, []byte{0, 3, 0, 0, 1, 2, 3, 4})    // family 3
	b.Add(AttrPriority, []byte{1, 2, 3})                        // 3 bytes
	b.Add(AttrICEControlling, []byte{1, 2, 3, 4})               // 4 bytes
	b.Add(AttrErrorCode, []byte{0, 0, 2, 0})                    // class 2
	b.Add(AttrUsername, []byte{0xff, 0xfe})                     // not UTF-8
	b.Add(AttrUserhash, make([]byte, 31))                       // 31 bytes
	b.Add(AttrUnknownAttributes, []byte{0, 1, 2})               // odd
	b.Add(AttrPasswordAlgorithm, []byte{0, 2, 0, 8, 1})         // params overrun
	b.Add(AttrRealm, bytes.Repeat([]byte("x"), maxTextBytes+1)) // too long
	b.Add(AttrFingerprint, []byte{1, 2, 3, 4})                  // not last
	b.Add(AttrMessageIntegrity, make([]byte, 19))               // 19 bytes
	b.Add(AttrMessageIntegritySHA256, make([]byte, 12))         // 12 bytes
	raw, _ := b.Bytes()
	m := mustParse(t, raw)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{second(m.XORMappedAddress()), "attribute XOR-MAPPED-ADDRESS (0x0020) length 7, want 8 for IPv4 (RFC 8489 §14.2)"},
		{second(m.MappedAddress()), "MAPPED-ADDRESS family 0x03, want 0x01 or 0x02 (RFC 8489 §14.1)"},
		{second(m.Priority()), "PRIORITY (0x0024) length 3, want 4 (RFC 8445 §16.1)"},
		{second(m.ICEControlling()), "ICE-CONTROLLING (0x802A) length 4, want 8 (RFC 8445 §16.1)"},
		{second(m.ErrorCode()), "ERROR-CODE class 2, want 3 to 6 (RFC 8489 §14.8)"},
		{second(m.Username()), "USERNAME is not valid UTF-8 (RFC 8489 §14.3)"},
		{second(m.Userhash()), "USERHASH (0x001E) length 31, want 32 (RFC 8489 §14.4)"},
		{second(m.UnknownAttributes(nil)), "UNKNOWN-ATTRIBUTES (0x000A) length 3, want a multiple of 2 (RFC 8489 §14.13)"},
		{second(m.PasswordAlgorithm()), "PASSWORD-ALGORITHM (0x001D) length 5"},
		{second(m.Realm()), "REALM (0x0014) length 764, want at most 763 (RFC 8489 §14.9)"},
		{CheckFingerprint(m), "FINGERPRINT is not the last attribute (RFC 8489 §14.7)"},
		{NewShortTermIntegrity("x").CheckSHA1(m), "MESSAGE-INTEGRITY (0x0008) length 19, want 20 (RFC 8489 §14.5)"},
		{NewShortTermIntegrity("x").CheckSHA256(m), "MESSAGE-INTEGRITY-SHA256 (0x001C) length 12, want 16 to 32"},
		{second(m.Nonce()), "stun: attribute not found"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("err %v, want it to contain %q", tc.err, tc.want)
		}
	}
	if !errors.Is(second(m.Software()), ErrAttributeNotFound) {
		t.Error("missing SOFTWARE is not ErrAttributeNotFound")
	}
}

func second[T any](_ T, err error) error { return err }

// Chromium's GOOG-NETWORK-INFO and unknown attributes survive; the
// comprehension-required unknowns are reported for a 420.
func TestUnknownAttributesKept(t *testing.T) {
	var b Builder
	b.Reset(nil, BindingRequest, TransactionID{9})
	b.AddUsername("x:y")
	b.Add(AttrGoogNetworkInfo, []byte{0, 1, 0, 0})
	b.Add(0x7001, []byte{1})
	b.Add(0xC0FF, []byte{1, 2, 3, 4, 5})
	b.Add(0x7001, []byte{2}) // a duplicate is listed once
	b.Add(0x0003, nil)       // CHANGE-REQUEST's old slot (RFC 3489), not in RFC 8489
	b.AddFingerprint()
	raw, _ := b.Bytes()
	m := mustParse(t, raw)
	checkRoundTrip(t, m, raw)
	if a, ok := m.Get(AttrGoogNetworkInfo); !ok || !bytes.Equal(a.Value, []byte{0, 1, 0, 0}) {
		t.Errorf("GOOG-NETWORK-INFO %x, %v", a.Value, ok)
	}
	got := m.UnknownComprehensionRequired(nil, nil)
	if !slices.Equal(got, []AttrType{0x7001, 0x0003}) {
		t.Errorf("unknown comprehension-required %v, want [0x7001 0x0003]", got)
	}
	got = m.UnknownComprehensionRequired(nil, func(t AttrType) bool { return t != AttrUsername })
	if !slices.Equal(got, []AttrType{AttrUsername}) {
		t.Errorf("with custom known: %v", got)
	}
}

func TestRegistry(t *testing.T) {
	for i := 1; i < len(Registry); i++ {
		if Registry[i-1].Type >= Registry[i].Type {
			t.Fatalf("Registry not sorted at %v", Registry[i].Type)
		}
	}
	// Every attribute the issue lists (RFC 8489 §14, RFC 8445 §16.1).
	want := map[AttrType]string{
		0x0001: "MAPPED-ADDRESS (RFC 8489 §14.1)", 0x0020: "XOR-MAPPED-ADDRESS (RFC 8489 §14.2)",
		0x0006: "USERNAME (RFC 8489 §14.3)", 0x001E: "USERHASH (RFC 8489 §14.4)",
		0x0008: "MESSAGE-INTEGRITY (RFC 8489 §14.5)", 0x001C: "MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6)",
		0x8028: "FINGERPRINT (RFC 8489 §14.7)", 0x0009: "ERROR-CODE (RFC 8489 §14.8)",
		0x0014: "REALM (RFC 8489 §14.9)", 0x0015: "NONCE (RFC 8489 §14.10)",
		0x8002: "PASSWORD-ALGORITHMS (RFC 8489 §14.11)", 0x001D: "PASSWORD-ALGORITHM (RFC 8489 §14.12)",
		0x000A: "UNKNOWN-ATTRIBUTES (RFC 8489 §14.13)", 0x8022: "SOFTWARE (RFC 8489 §14.14)",
		0x8023: "ALTERNATE-SERVER (RFC 8489 §14.15)", 0x8003: "ALTERNATE-DOMAIN (RFC 8489 §14.16)",
		0x0024: "PRIORITY (RFC 8445 §16.1)", 0x0025: "USE-CANDIDATE (RFC 8445 §16.1)",
		0x8029: "ICE-CONTROLLED (RFC 8445 §16.1)", 0x802A: "ICE-CONTROLLING (RFC 8445 §16.1)",
	}
	for typ, d := range want {
		if got := typ.Describe(); got != d {
			t.Errorf("%#04x.Describe() = %q, want %q", uint16(typ), got, d)
		}
		if !typ.Understood() {
			t.Errorf("%v not Understood", typ)
		}
	}
	if AttrGoogNetworkInfo.Understood() {
		t.Error("GOOG-NETWORK-INFO claims to be decoded")
	}
	if got := AttrType(0x7abc).Describe(); got != "0x7ABC (unknown, comprehension-required)" {
		t.Errorf("Describe unknown = %q", got)
	}
	if got := AttrType(0xC0FF).String(); got != "0xC0FF" {
		t.Errorf("String unknown = %q", got)
	}
}

// RFC 8489 §14.13: an odd number of types is padded like any attribute
// (zeros, Length counting only the types), not by repeating the last type
// as RFC 3489 did; a receiver reads exactly Length/2 types.
func TestUnknownAttributesOddCountPadding(t *testing.T) {
	var b Builder
	b.Reset(nil, BindingError, TransactionID{9})
	b.AddUnknownAttributes([]AttrType{0x7ff1})
	raw, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x00, 0x0A, 0x00, 0x02, 0x7f, 0xf1, 0x00, 0x00}
	if !bytes.Equal(raw[HeaderSize:], want) {
		t.Fatalf("attribute % x, want % x", raw[HeaderSize:], want)
	}
	// RFC 3489 style padding (the last type repeated) is padding too.
	raw[HeaderSize+6], raw[HeaderSize+7] = 0x7f, 0xf1
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	got, err := m.UnknownAttributes(nil)
	if err != nil || len(got) != 1 || got[0] != 0x7ff1 {
		t.Fatalf("UnknownAttributes %v, %v; want [0x7FF1]", got, err)
	}
}
