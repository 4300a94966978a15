package bench

import (
	"bytes"
	"slices"
	"testing"

	prtp "github.com/pion/rtp"

	"github.com/plainrtc/plainrtc/rtp"
)

// RTP: every decrypted RTP packet of the corpus (Opus, VP8, RTX, padding
// probes; one-byte header extensions), taken round-robin: one op is one
// packet. Both sides unmarshal into a reused Packet that references the
// input, and marshal into a reused buffer with MarshalTo.
//
// Not the same work: pion's Unmarshal also splits the extension block into
// a slice of (id, payload) elements; ours records where the block is and
// walks it when asked. RTPParseExtensions levels that: after the parse,
// both read every extension ID the corpus uses with GetExtension.

type rtpCase struct {
	raw  []byte
	ours rtp.Packet
	pion prtp.Packet
}

func rtpCases(tb testing.TB) ([]*rtpCase, []uint8) {
	var out []*rtpCase
	ids := map[uint8]bool{}
	for _, in := range loadCorpus(tb).rtp {
		rc := &rtpCase{raw: in.clear}
		if err := rc.ours.Unmarshal(in.clear); err != nil {
			tb.Fatalf("%s frame %d: %v", in.session, in.frame, err)
		}
		if err := rc.pion.Unmarshal(in.clear); err != nil {
			tb.Fatalf("%s frame %d: pion: %v", in.session, in.frame, err)
		}
		it := rc.ours.Extensions()
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			ids[e.ID] = true
		}
		out = append(out, rc)
	}
	var idList []uint8
	for id := range ids {
		idList = append(idList, id)
	}
	slices.Sort(idList)
	return out, idList
}

// Both parsers read the same fields, extension elements (every ID 1..255),
// payload and padding from every corpus packet, and both marshal back the
// input bytes.
func TestRTPAgreesWithPion(t *testing.T) {
	cases, ids := rtpCases(t)
	t.Logf("%d packets; extension IDs in use: %v", len(cases), ids)
	for n, rc := range cases {
		o, p := &rc.ours, &rc.pion
		if o.Version != p.Version || o.Header.Padding != p.Header.Padding || o.Extension != p.Extension || o.Marker != p.Marker ||
			o.PayloadType != p.PayloadType || o.SequenceNumber != p.SequenceNumber || o.Timestamp != p.Timestamp ||
			o.SSRC != p.SSRC || !slices.Equal(o.CSRCs(), p.CSRC) || o.ExtensionProfile != p.ExtensionProfile {
			t.Fatalf("packet %d: header %+v, pion %+v", n, o.Header, p.Header)
		}
		for id := 1; id < 256; id++ {
			if a, b := o.GetExtension(uint8(id)), p.GetExtension(uint8(id)); !bytes.Equal(a, b) {
				t.Fatalf("packet %d: extension %d %x, pion %x", n, id, a, b)
			}
		}
		if !bytes.Equal(o.Payload, p.Payload) || len(o.Padding) != int(p.PaddingSize) {
			t.Fatalf("packet %d: payload or padding differ", n)
		}
		buf := make([]byte, 1500)
		if k, err := o.MarshalTo(buf); err != nil || !bytes.Equal(buf[:k], rc.raw) {
			t.Fatalf("packet %d: plainrtc marshal differs (%v)", n, err)
		}
		if k, err := p.MarshalTo(buf); err != nil || !bytes.Equal(buf[:k], rc.raw) {
			t.Errorf("packet %d: pion marshal differs (%v)", n, err)
		}
	}
}

func BenchmarkRTPParse(b *testing.B) {
	cases, _ := rtpCases(b)
	size := meanLen(len(cases), func(i int) int { return len(cases[i].raw) })
	b.Run("plainrtc", func(b *testing.B) {
		var p rtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		var p prtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRTPParseExtensions(b *testing.B) {
	cases, ids := rtpCases(b)
	size := meanLen(len(cases), func(i int) int { return len(cases[i].raw) })
	var sink int
	b.Run("plainrtc", func(b *testing.B) {
		var p rtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
			for _, id := range ids {
				sink += len(p.GetExtension(id))
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		var p prtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
			for _, id := range ids {
				sink += len(p.GetExtension(id))
			}
		}
	})
	_ = sink
}

// Reading every extension element of the packet once: our iterator;
// pion's way to enumerate them, GetExtensionIDs (which allocates the ID
// slice) and GetExtension per ID.
func BenchmarkRTPWalkExtensions(b *testing.B) {
	cases, _ := rtpCases(b)
	size := meanLen(len(cases), func(i int) int { return len(cases[i].raw) })
	var sink int
	b.Run("plainrtc", func(b *testing.B) {
		var p rtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
			it := p.Extensions()
			for e, ok := it.Next(); ok; e, ok = it.Next() {
				sink += len(e.Value)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		var p prtp.Packet
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if err := p.Unmarshal(cases[i%len(cases)].raw); err != nil {
				b.Fatal(err)
			}
			for _, id := range p.GetExtensionIDs() {
				sink += len(p.GetExtension(id))
			}
		}
	})
	_ = sink
}

func BenchmarkRTPMarshal(b *testing.B) {
	cases, _ := rtpCases(b)
	size := meanLen(len(cases), func(i int) int { return len(cases[i].raw) })
	buf := make([]byte, 1500)
	b.Run("plainrtc", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if _, err := cases[i%len(cases)].ours.MarshalTo(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		defer meterCPU().report(b)
		for i := 0; b.Loop(); i++ {
			if _, err := cases[i%len(cases)].pion.MarshalTo(buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
