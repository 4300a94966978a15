package rtp

import (
	"bytes"
	"testing"
)

func TestRemapExtensionIDsInPlace(t *testing.T) {
	src := []byte{0x90, 0x6f, 0, 5, 0, 0, 1, 0, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0x10, 0x8a, 0x31, 0x12, 0x34, 0x50, 0x07, 0, 0xaa}
	pkt := append([]byte(nil), src...)
	p := mustUnmarshal(t, pkt)
	var m ExtensionIDMap
	m[1], m[3] = 7, 1 // 5 dropped
	if err := RemapExtensionIDsInPlace(pkt, &p.Header, &m); err != nil {
		t.Fatal(err)
	}
	q := mustUnmarshal(t, pkt)
	if v := q.GetExtension(7); !bytes.Equal(v, []byte{0x8a}) {
		t.Errorf("ID 7 = %x", v)
	}
	if v := q.GetExtension(1); !bytes.Equal(v, []byte{0x12, 0x34}) {
		t.Errorf("ID 1 = %x", v)
	}
	if v := q.GetExtension(5); v != nil {
		t.Errorf("dropped ID 5 = %x", v)
	}
	if len(pkt) != len(src) || !bytes.Equal(q.Payload, []byte{0xaa}) {
		t.Errorf("packet changed length or payload")
	}
	// One-byte form cannot take ID 15: error, packet untouched.
	before := append([]byte(nil), pkt...)
	var bad ExtensionIDMap
	bad[7] = 15
	if err := RemapExtensionIDsInPlace(pkt, &q.Header, &bad); err == nil {
		t.Fatal("remap to 15 in one-byte form succeeded")
	}
	if !bytes.Equal(pkt, before) {
		t.Fatal("failed remap modified the packet")
	}
	if !SetExtensionInPlace(pkt, &q.Header, 1, []byte{0xff, 0xee}) {
		t.Fatal("SetExtensionInPlace same size failed")
	}
	if SetExtensionInPlace(pkt, &q.Header, 1, []byte{1}) {
		t.Fatal("SetExtensionInPlace with another size succeeded")
	}
	if v := mustUnmarshal(t, pkt).GetExtension(1); !bytes.Equal(v, []byte{0xff, 0xee}) {
		t.Errorf("after restamp ID 1 = %x", v)
	}
	if err := RewriteFixedHeader(pkt, 100, 0xfffe, 0x01020304, 0xcafebabe); err != nil {
		t.Fatal(err)
	}
	r := mustUnmarshal(t, pkt)
	if r.PayloadType != 100 || r.SequenceNumber != 0xfffe || r.Timestamp != 0x01020304 || r.SSRC != 0xcafebabe || r.Marker {
		t.Errorf("rewrite: %+v", r.Header)
	}
}

func TestRemapExtensionIDsFallsBackToTwoByte(t *testing.T) {
	src := []byte{0xb0, 0x6f, 0, 5, 0, 0, 1, 0, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0x10, 0x8a, 0x31, 0x12, 0x34, 0, 0, 0, 0xaa, 0xbb, 0, 2}
	pkt := append([]byte(nil), src...)
	p := mustUnmarshal(t, pkt)
	var m ExtensionIDMap
	m[1], m[3] = 2, 4
	out, err := RemapExtensionIDs(nil, pkt, &p.Header, &m)
	if err != nil || &out[0] != &pkt[0] {
		t.Fatalf("in-place case: %v, rewrote in place %v", err, err == nil && &out[0] == &pkt[0])
	}
	p = mustUnmarshal(t, pkt)
	m = ExtensionIDMap{}
	m[2], m[4] = 200, 5
	dst := make([]byte, 100)
	out, err = RemapExtensionIDs(dst, pkt, &p.Header, &m)
	if err != nil {
		t.Fatal(err)
	}
	q := mustUnmarshal(t, out)
	if q.ExtensionProfile != ExtensionProfileTwoByte || !bytes.Equal(q.GetExtension(200), []byte{0x8a}) ||
		!bytes.Equal(q.GetExtension(5), []byte{0x12, 0x34}) || !bytes.Equal(q.Payload, []byte{0xaa, 0xbb}) ||
		!bytes.Equal(q.Padding, []byte{0, 2}) || q.SequenceNumber != 5 || !q.Header.Padding {
		t.Fatalf("rebuilt %x: %+v", out, q)
	}
	if _, err := RemapExtensionIDs(make([]byte, 10), pkt, &p.Header, &m); err == nil {
		t.Fatal("short dst accepted")
	}
	if allocs := testing.AllocsPerRun(50, func() { RemapExtensionIDs(dst, pkt, &p.Header, &m) }); allocs != 0 {
		t.Fatalf("allocs %v", allocs)
	}
}
