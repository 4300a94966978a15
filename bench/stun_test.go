package bench

import (
	"bytes"
	"net"
	"net/netip"
	"testing"

	pstun "github.com/pion/stun/v3"

	"github.com/plainrtc/plainrtc/stun"
)

// STUN: every message of the corpus (ICE binding requests and responses of
// Chromium and Firefox with USERNAME, PRIORITY, ICE-CONTROLLING,
// USE-CANDIDATE, GOOG-NETWORK-INFO, MESSAGE-INTEGRITY, FINGERPRINT), taken
// round-robin: one op is one message.
//
// Both sides parse into a reused Message that references the input (pion:
// m.Raw = b; m.Decode(), the no-copy form of stun.Decode). The integrity
// check uses pre-keyed HMAC state on our side; pion's MessageIntegrity is
// the key bytes and re-keys a pooled HMAC on every Check (its API has no
// pre-keyed form).

type stunCase struct {
	in    stunInput
	ours  stun.Message
	ourMI *stun.Integrity
	pion  *pstun.Message
	pRaw  []byte // pion's own copy: pion's Check rewrites the Length field in place
	pMI   pstun.MessageIntegrity
}

func stunCases(tb testing.TB) []*stunCase {
	c := loadCorpus(tb)
	keys := map[string]*stun.Integrity{}
	var out []*stunCase
	for _, in := range c.stun {
		sc := &stunCase{in: in, pion: new(pstun.Message), pRaw: bytes.Clone(in.raw)}
		if err := sc.ours.Unmarshal(in.raw); err != nil {
			tb.Fatalf("%s frame %d: %v", in.session, in.frame, err)
		}
		sc.pion.Raw = sc.pRaw
		if err := sc.pion.Decode(); err != nil {
			tb.Fatalf("%s frame %d: pion: %v", in.session, in.frame, err)
		}
		if in.pwd != "" {
			if keys[in.pwd] == nil {
				keys[in.pwd] = stun.NewShortTermIntegrity(in.pwd)
			}
			sc.ourMI = keys[in.pwd]
			sc.pMI = pstun.NewShortTermIntegrity(in.pwd)
		}
		out = append(out, sc)
	}
	return out
}

func meanLen(n int, f func(i int) int) int64 {
	t := 0
	for i := range n {
		t += f(i)
	}
	return int64(t / n)
}

// The two implementations agree on every corpus message: type, transaction
// ID, the attribute list (types and values, in order), integrity and
// fingerprint verdicts (also on a tampered copy), and re-encoding gives the
// captured bytes on both sides.
func TestSTUNAgreesWithPion(t *testing.T) {
	for _, sc := range stunCases(t) {
		o, p := &sc.ours, sc.pion
		if o.Type.Value() != p.Type.Value() || o.TransactionID != stun.TransactionID(p.TransactionID) {
			t.Errorf("frame %d: type %v/%v or transaction ID differ", sc.in.frame, o.Type, p.Type)
		}
		if len(o.Attributes) != len(p.Attributes) {
			t.Fatalf("frame %d: %d attributes, pion %d", sc.in.frame, len(o.Attributes), len(p.Attributes))
		}
		for i, a := range o.Attributes {
			pa := p.Attributes[i]
			if uint16(a.Type) != uint16(pa.Type) || !bytes.Equal(a.Value, pa.Value) {
				t.Errorf("frame %d attribute %d: %v %x, pion %v %x", sc.in.frame, i, a.Type, a.Value, pa.Type, pa.Value)
			}
		}
		if sc.ourMI == nil {
			t.Errorf("frame %d: no MESSAGE-INTEGRITY in a browser ICE message", sc.in.frame)
			continue
		}
		if err, perr := sc.ourMI.CheckSHA1(o), sc.pMI.Check(p); err != nil || perr != nil {
			t.Errorf("frame %d: integrity: plainrtc %v, pion %v", sc.in.frame, err, perr)
		}
		if err, perr := stun.CheckFingerprint(o), pstun.Fingerprint.Check(p); err != nil || perr != nil {
			t.Errorf("frame %d: fingerprint: plainrtc %v, pion %v", sc.in.frame, err, perr)
		}
		// A flipped bit in the transaction ID must fail both checks on both sides.
		bad := bytes.Clone(sc.in.raw)
		bad[12] ^= 1
		var bo stun.Message
		bp := new(pstun.Message)
		bp.Raw = bytes.Clone(bad)
		if bo.Unmarshal(bad) != nil || bp.Decode() != nil {
			t.Fatalf("frame %d: tampered copy does not parse", sc.in.frame)
		}
		if sc.ourMI.CheckSHA1(&bo) == nil || sc.pMI.Check(bp) == nil ||
			stun.CheckFingerprint(&bo) == nil || pstun.Fingerprint.Check(bp) == nil {
			t.Errorf("frame %d: tampered message passes a check", sc.in.frame)
		}
		buf := make([]byte, o.MarshalSize())
		n, err := o.MarshalTo(buf)
		if err != nil || !bytes.Equal(buf[:n], sc.in.raw) {
			t.Errorf("frame %d: plainrtc re-encode differs (%v)", sc.in.frame, err)
		}
		pe := pionReencode(new(pstun.Message), p)
		if !bytes.Equal(pe.Raw, sc.in.raw) {
			t.Errorf("frame %d: pion re-encode differs", sc.in.frame)
		}
	}
}

// A response built by each side verifies on the other.
func TestSTUNResponsesCrossVerify(t *testing.T) {
	sc := stunCases(t)[0]
	ap := netip.MustParseAddrPort("192.0.2.1:32853")
	var bl stun.Builder
	ours := buildOurs(&bl, make([]byte, 0, 128), sc, ap)
	theirs := buildPion(new(pstun.Message), sc, ap, new(pstun.XORMappedAddress))
	if !bytes.Equal(ours, theirs.Raw) {
		t.Errorf("responses differ:\nplainrtc %x\npion     %x", ours, theirs.Raw)
	}
	p := new(pstun.Message)
	p.Raw = bytes.Clone(ours)
	var xa pstun.XORMappedAddress
	if err := p.Decode(); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(sc.pMI, pstun.Fingerprint); err != nil {
		t.Errorf("pion rejects plainrtc's response: %v", err)
	}
	if err := xa.GetFrom(p); err != nil || xa.Port != int(ap.Port()) || !xa.IP.Equal(net.IP(ap.Addr().AsSlice())) {
		t.Errorf("pion reads XOR-MAPPED-ADDRESS %v, %v", xa, err)
	}
	var o stun.Message
	if err := o.Unmarshal(theirs.Raw); err != nil {
		t.Fatal(err)
	}
	if err := sc.ourMI.Check(&o); err != nil {
		t.Errorf("plainrtc rejects pion's response: %v", err)
	}
	if got, err := o.XORMappedAddress(); err != nil || got != ap {
		t.Errorf("plainrtc reads XOR-MAPPED-ADDRESS %v, %v", got, err)
	}
}

func pionReencode(dst, src *pstun.Message) *pstun.Message {
	dst.Reset()
	dst.Type = src.Type
	dst.TransactionID = src.TransactionID
	dst.WriteHeader()
	for _, a := range src.Attributes {
		dst.Add(a.Type, a.Value)
	}
	return dst
}

// The success response an ICE-lite agent sends to a binding request:
// XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT (RFC 8445 §7.3.1.1).
func buildOurs(bl *stun.Builder, buf []byte, sc *stunCase, ap netip.AddrPort) []byte {
	bl.Reset(buf, stun.BindingSuccess, sc.ours.TransactionID)
	bl.AddXORMappedAddress(ap)
	bl.AddMessageIntegrity(sc.ourMI)
	bl.AddFingerprint()
	out, err := bl.Bytes()
	if err != nil {
		panic(err)
	}
	return out
}

func buildPion(m *pstun.Message, sc *stunCase, ap netip.AddrPort, xa *pstun.XORMappedAddress) *pstun.Message {
	m.Reset()
	m.Type = pstun.BindingSuccess
	m.TransactionID = sc.pion.TransactionID
	m.WriteHeader()
	if xa.IP == nil {
		xa.IP = net.IP(ap.Addr().AsSlice())
		xa.Port = int(ap.Port())
	}
	if err := xa.AddTo(m); err != nil {
		panic(err)
	}
	if err := sc.pMI.AddTo(m); err != nil {
		panic(err)
	}
	if err := pstun.Fingerprint.AddTo(m); err != nil {
		panic(err)
	}
	return m
}

func BenchmarkSTUNParse(b *testing.B) {
	cs := stunCases(b)
	size := meanLen(len(cs), func(i int) int { return len(cs[i].in.raw) })
	b.Run("plainrtc", func(b *testing.B) {
		var m stun.Message
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := m.Unmarshal(cs[i%len(cs)].in.raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		m := new(pstun.Message)
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			m.Raw = cs[i%len(cs)].pRaw
			if err := m.Decode(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// MESSAGE-INTEGRITY (HMAC-SHA1) of a parsed message.
func BenchmarkSTUNIntegrity(b *testing.B) {
	cs := stunCases(b)
	b.Run("plainrtc", func(b *testing.B) {
		b.ReportAllocs()
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			sc := cs[i%len(cs)]
			if err := sc.ourMI.CheckSHA1(&sc.ours); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		b.ReportAllocs()
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			sc := cs[i%len(cs)]
			if err := sc.pMI.Check(sc.pion); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FINGERPRINT (CRC-32) of a parsed message.
func BenchmarkSTUNFingerprint(b *testing.B) {
	cs := stunCases(b)
	b.Run("plainrtc", func(b *testing.B) {
		b.ReportAllocs()
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := stun.CheckFingerprint(&cs[i%len(cs)].ours); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		b.ReportAllocs()
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := pstun.Fingerprint.Check(cs[i%len(cs)].pion); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// What an ICE agent does with every received message: parse, then check
// MESSAGE-INTEGRITY and FINGERPRINT.
func BenchmarkSTUNReceive(b *testing.B) {
	cs := stunCases(b)
	size := meanLen(len(cs), func(i int) int { return len(cs[i].in.raw) })
	b.Run("plainrtc", func(b *testing.B) {
		var m stun.Message
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			sc := cs[i%len(cs)]
			if err := m.Unmarshal(sc.in.raw); err != nil {
				b.Fatal(err)
			}
			if err := sc.ourMI.CheckSHA1(&m); err != nil {
				b.Fatal(err)
			}
			if err := stun.CheckFingerprint(&m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		m := new(pstun.Message)
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			sc := cs[i%len(cs)]
			m.Raw = sc.pRaw
			if err := m.Decode(); err != nil {
				b.Fatal(err)
			}
			if err := sc.pMI.Check(m); err != nil {
				b.Fatal(err)
			}
			if err := pstun.Fingerprint.Check(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Re-encoding a parsed message attribute by attribute into a reused buffer
// (integrity and fingerprint values copied, not recomputed).
func BenchmarkSTUNEncode(b *testing.B) {
	cs := stunCases(b)
	size := meanLen(len(cs), func(i int) int { return len(cs[i].in.raw) })
	b.Run("plainrtc", func(b *testing.B) {
		buf := make([]byte, 1500)
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if _, err := cs[i%len(cs)].ours.MarshalTo(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		m := &pstun.Message{Raw: make([]byte, 0, 1500)}
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			pionReencode(m, cs[i%len(cs)].pion)
		}
	})
}

// Building and signing the binding success response (XOR-MAPPED-ADDRESS,
// MESSAGE-INTEGRITY, FINGERPRINT) into a reused buffer.
func BenchmarkSTUNBuildResponse(b *testing.B) {
	sc := stunCases(b)[0]
	ap := netip.MustParseAddrPort("192.0.2.1:32853")
	b.Run("plainrtc", func(b *testing.B) {
		var bl stun.Builder
		buf := make([]byte, 0, 128)
		b.ReportAllocs()
		defer meterCPU().report(b)
		for b.Loop() {
			buildOurs(&bl, buf, sc, ap)
		}
	})
	b.Run("pion", func(b *testing.B) {
		m := &pstun.Message{Raw: make([]byte, 0, 128)}
		xa := new(pstun.XORMappedAddress)
		b.ReportAllocs()
		defer meterCPU().report(b)
		for b.Loop() {
			buildPion(m, sc, ap, xa)
		}
	})
}
