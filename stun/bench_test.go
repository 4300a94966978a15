package stun

import (
	"net/netip"
	"testing"
)

func BenchmarkUnmarshal(b *testing.B) {
	raw := vector(b, "RFC 5769 §2.1")
	var m Message
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if err := m.Unmarshal(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkXORMappedAddress(b *testing.B) {
	raw := vector(b, "RFC 5769 §2.3")
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.XORMappedAddress(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckIntegrityAndFingerprint(b *testing.B) {
	raw := vector(b, "RFC 5769 §2.1")
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		b.Fatal(err)
	}
	in := NewShortTermIntegrity(rfc5769Password)
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Check(&m); err != nil {
			b.Fatal(err)
		}
		if err := CheckFingerprint(&m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckIntegritySHA256(b *testing.B) {
	raw := vector(b, "RFC 8489 Appendix B.1")
	var m Message
	if err := m.Unmarshal(raw); err != nil {
		b.Fatal(err)
	}
	in, _ := NewLongTermIntegrity(PasswordAlgorithmSHA256, rfc5769User, rfc5769Realm, rfc5769Prepared)
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Check(&m); err != nil {
			b.Fatal(err)
		}
	}
}

// The response an ICE-lite agent sends: XOR-MAPPED-ADDRESS,
// MESSAGE-INTEGRITY, FINGERPRINT.
func BenchmarkBuildAndSign(b *testing.B) {
	in := NewShortTermIntegrity(rfc5769Password)
	buf := make([]byte, 0, 128)
	tid := TransactionID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	ap := netip.MustParseAddrPort("192.0.2.1:32853")
	var bl Builder
	b.ReportAllocs()
	for b.Loop() {
		bl.Reset(buf, BindingSuccess, tid)
		bl.AddXORMappedAddress(ap)
		bl.AddMessageIntegrity(in)
		bl.AddFingerprint()
		if _, err := bl.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindAttribute(b *testing.B) {
	raw := vector(b, "RFC 5769 §2.1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FindAttribute(raw, AttrUsername); err != nil {
			b.Fatal(err)
		}
	}
}
