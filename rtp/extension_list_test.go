package rtp

import (
	"bytes"
	"testing"
)

func mustUnmarshal(t *testing.T, b []byte) *Packet {
	t.Helper()
	var p Packet
	if err := p.Unmarshal(b); err != nil {
		t.Fatalf("unmarshal %x: %v", b, err)
	}
	return &p
}

func TestExtensionListFormChoice(t *testing.T) {
	var l ExtensionList
	if l.Form() != ExtensionFormNone {
		t.Fatalf("empty list form = %v", l.Form())
	}
	if err := l.Set(1, []byte{0x85}); err != nil {
		t.Fatal(err)
	}
	if err := l.Set(3, []byte{0, 7}); err != nil {
		t.Fatal(err)
	}
	if l.Form() != ExtensionFormOneByte || l.Profile() != 0xBEDE {
		t.Fatalf("IDs 1,3 form = %v profile %#x, want one-byte", l.Form(), l.Profile())
	}
	buf := make([]byte, 64)
	n, err := l.MarshalTo(buf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{0x10, 0x85, 0x31, 0, 7, 0, 0, 0}; !bytes.Equal(buf[:n], want) {
		t.Fatalf("one-byte block = %x, want %x", buf[:n], want)
	}
	// ID 15 does not fit the one-byte form.
	if err := l.Set(15, []byte{9}); err != nil {
		t.Fatal(err)
	}
	if l.Form() != ExtensionFormTwoByte || l.Profile() != 0x1000 {
		t.Fatalf("with ID 15 form = %v, want two-byte", l.Form())
	}
	n, err = l.MarshalTo(buf)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{1, 1, 0x85, 3, 2, 0, 7, 15, 1, 9, 0, 0}; !bytes.Equal(buf[:n], want) {
		t.Fatalf("two-byte block = %x, want %x", buf[:n], want)
	}
	// An empty value also needs the two-byte form.
	l.Remove(15)
	if l.Form() != ExtensionFormOneByte {
		t.Fatalf("after Remove(15) form = %v", l.Form())
	}
	l.Set(2, []byte{})
	if l.Form() != ExtensionFormTwoByte {
		t.Fatalf("empty value form = %v, want two-byte", l.Form())
	}
	if err := l.Set(0, []byte{1}); err == nil {
		t.Fatal("Set(0) succeeded, want error")
	}
}

func TestExtensionListRebuildRoundTrip(t *testing.T) {
	// Packet with one-byte extensions 1 (audio level) and 3 (twcc).
	src := []byte{0x90, 0x6f, 0, 5, 0, 0, 1, 0, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0x10, 0x8a, 0x31, 0x12, 0x34, 0, 0, 0, 0xaa, 0xbb}
	p := mustUnmarshal(t, src)
	var l ExtensionList
	if err := l.FromHeader(&p.Header); err != nil {
		t.Fatal(err)
	}
	var m ExtensionIDMap
	m[1] = 20 // needs two-byte form
	m[3] = 4
	l.Remap(&m)
	l.Set(4, []byte{0xab, 0xcd})
	scratch := make([]byte, 64)
	if err := l.SetOn(&p.Header, scratch); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, p.MarshalSize())
	n, err := p.MarshalTo(out)
	if err != nil {
		t.Fatal(err)
	}
	q := mustUnmarshal(t, out[:n])
	if q.ExtensionProfile != 0x1000 {
		t.Fatalf("profile %#x, want 0x1000", q.ExtensionProfile)
	}
	if v := q.GetExtension(20); !bytes.Equal(v, []byte{0x8a}) {
		t.Errorf("ID 20 = %x", v)
	}
	if v := q.GetExtension(4); !bytes.Equal(v, []byte{0xab, 0xcd}) {
		t.Errorf("ID 4 = %x", v)
	}
	if q.GetExtension(1) != nil || q.GetExtension(3) != nil {
		t.Errorf("old IDs still present")
	}
	if !bytes.Equal(q.Payload, []byte{0xaa, 0xbb}) {
		t.Errorf("payload %x", q.Payload)
	}
}

func TestTypedExtensionValues(t *testing.T) {
	var al AudioLevel
	if err := al.Unmarshal([]byte{0x9e}); err != nil || !al.Voice || al.Level != 30 {
		t.Errorf("audio level = %+v, %v", al, err)
	}
	buf := make([]byte, 4)
	if n, _ := al.MarshalTo(buf); n != 1 || buf[0] != 0x9e {
		t.Errorf("audio level marshal %x", buf[:n])
	}
	var ast AbsSendTime
	if err := ast.Unmarshal([]byte{0x40, 0, 0}); err != nil || ast.Duration() != 16e9 {
		t.Errorf("abs-send-time 0x400000 = %v, want 16s", ast.Duration())
	}
	if got := AbsSendTimeFromDuration(66500e6); got.Duration() != 2500e6 {
		t.Errorf("abs-send-time of 66.5s = %v, want 2.5s (64 s wrap)", got.Duration())
	}
	if got := AbsSendTimeFromNTP(uint64(3)<<32 | 1<<31); got != 3<<18|1<<17 {
		t.Errorf("abs-send-time from NTP 3.5s = %#x", uint32(got))
	}
	var pd PlayoutDelay
	if err := pd.Unmarshal([]byte{0x01, 0x23, 0x45}); err != nil || pd.Min != 0x012 || pd.Max != 0x345 {
		t.Errorf("playout delay = %+v", pd)
	}
	if n, _ := pd.MarshalTo(buf); !bytes.Equal(buf[:n], []byte{0x01, 0x23, 0x45}) {
		t.Errorf("playout delay marshal %x", buf[:n])
	}
	var vo VideoOrientation
	if err := vo.Unmarshal([]byte{0x0b}); err != nil || !vo.Camera || vo.Flip || vo.Rotation != 270 {
		t.Errorf("video orientation = %+v", vo)
	}
	if n, _ := vo.MarshalTo(buf); n != 1 || buf[0] != 0x0b {
		t.Errorf("video orientation marshal %x", buf[0])
	}
	var tcc TransportCC
	if err := tcc.Unmarshal([]byte{0xbe, 0xef}); err != nil || tcc != 0xbeef {
		t.Errorf("twcc = %#x", uint16(tcc))
	}
	if _, err := ParseRtpStreamID([]byte("q")); err != nil {
		t.Error(err)
	}
	if _, err := ParseRtpStreamID([]byte("a b")); err == nil {
		t.Error("rid with a space accepted")
	}
	if _, err := ParseMid([]byte{}); err == nil {
		t.Error("empty mid accepted")
	}
}
