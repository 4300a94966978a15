package rtp_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/rtp"
)

// The extension block layouts drawn in RFC 8285 §4.2 (one-byte header)
// and §4.3 (two-byte header), with the figures' IDs and data filled in
// here (the RFC draws only the shape): each parses into the elements the
// figure shows, padding skipped, and the packet marshals back to the same
// bytes, the padding bytes between elements included (lossless). Rebuilt
// from its elements with ExtensionList the block parses to the same
// elements again.
func TestRFC8285Layouts(t *testing.T) {
	type elem struct {
		id  uint8
		val string // hex
	}
	cases := []struct {
		name, block string // extension block: profile, length, elements (hex)
		profile     uint16
		elems       []elem
	}{
		{
			// §4.2: ID L=0 data | ID L=1 data... | 0 (pad) 0 (pad) | ID L=3 data(4); length=3
			name: "RFC 8285 §4.2 one-byte header", profile: 0xBEDE,
			block: "BEDE 0003" + " 10 AA" + " 21 BBCC" + " 00 00" + " 33 01020304",
			elems: []elem{{1, "AA"}, {2, "BBCC"}, {3, "01020304"}},
		},
		{
			// §4.3: ID L=0 | ID L=1 data | 0 (pad) | ID L=4 data(4); length=3
			name: "RFC 8285 §4.3 two-byte header", profile: 0x1000,
			block: "1000 0003" + " 01 00" + " 02 01 DD" + " 00" + " 03 04 05060708",
			elems: []elem{{1, ""}, {2, "DD"}, {3, "05060708"}},
		},
		{
			// §4.3: appbits (the low 4 bits of 0x100X) are the application's and must survive.
			name: "RFC 8285 §4.3 two-byte header with appbits", profile: 0x100A,
			block: "100A 0002" + " 40 03 0A0B0C" + " 00 00 00",
			elems: []elem{{64, "0A0B0C"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			block, err := hex.DecodeString(strings.ReplaceAll(c.block, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			pkt := append([]byte{0x90, 96, 0x00, 0x01, 0, 0, 0, 10, 0, 0, 0, 42}, block...)
			pkt = append(pkt, "payload"...)
			var p rtp.Packet
			if err := p.Unmarshal(pkt); err != nil {
				t.Fatal(err)
			}
			if p.ExtensionProfile != c.profile || string(p.Payload) != "payload" {
				t.Fatalf("profile %#x payload %q", p.ExtensionProfile, p.Payload)
			}
			var got []elem
			it := p.Extensions()
			for e, ok := it.Next(); ok; e, ok = it.Next() {
				got = append(got, elem{e.ID, strings.ToUpper(hex.EncodeToString(e.Value))})
			}
			if len(got) != len(c.elems) {
				t.Fatalf("elements %v, want %v", got, c.elems)
			}
			for i := range got {
				if got[i] != c.elems[i] {
					t.Errorf("element %d: %v, want %v", i, got[i], c.elems[i])
				}
			}
			out := make([]byte, p.MarshalSize())
			if n, err := p.MarshalTo(out); err != nil || !bytes.Equal(out[:n], pkt) {
				t.Fatalf("round trip (%v)\n got %x\nwant %x", err, out[:n], pkt)
			}
			// Rebuilt from the elements alone.
			var l rtp.ExtensionList
			if err := l.FromHeader(&p.Header); err != nil {
				t.Fatal(err)
			}
			r := p
			if err := l.SetOn(&r.Header, make([]byte, 64)); err != nil {
				t.Fatal(err)
			}
			out = make([]byte, r.MarshalSize())
			n, err := r.MarshalTo(out)
			if err != nil {
				t.Fatal(err)
			}
			var q rtp.Packet
			if err := q.Unmarshal(out[:n]); err != nil {
				t.Fatal(err)
			}
			for _, e := range c.elems {
				if v := strings.ToUpper(hex.EncodeToString(q.GetExtension(e.id))); v != e.val {
					t.Errorf("rebuilt: ID %d value %s, want %s", e.id, v, e.val)
				}
			}
		})
	}
}
