package rtp

import (
	"bytes"
	"errors"
	"testing"
)

var fuzzSeedPackets = [][]byte{
	{0x80, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3},
	{0x90, 0xe0, 0x12, 0x34, 0, 0, 0x10, 0, 0xde, 0xad, 0xbe, 0xef, 0xbe, 0xde, 0, 2, 0x10, 0xaa, 0, 0x31, 0xbb, 0xcc, 0, 0, 1, 2},
	{0x92, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0x10, 0, 0, 2, 0x20, 0, 5, 3, 1, 2, 3, 0},
	{0xa0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xaa, 0xbb, 0, 0, 3},
}

func FuzzHeader(f *testing.F) {
	for _, s := range fuzzSeedPackets {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h Header
		hn, ext, herr := HeaderLength(b)
		n, err := h.Unmarshal(b)
		if herr != nil && !errors.Is(err, herr) {
			t.Fatalf("HeaderLength: %v, Unmarshal: %v", herr, err)
		}
		if err != nil {
			return
		}
		if hn != n || h.Extension != (ext >= 0) || (ext >= 0 && ext+4 != h.ExtensionOffset) {
			t.Fatalf("HeaderLength = %d, %d; Unmarshal %d, extension at %d", hn, ext, n, h.ExtensionOffset)
		}
		if n > len(b) || n != h.MarshalSize() {
			t.Fatalf("n = %d, MarshalSize %d, len %d", n, h.MarshalSize(), len(b))
		}
		out := make([]byte, n)
		if m, err := h.MarshalTo(out); err != nil || m != n || !bytes.Equal(out, b[:n]) {
			t.Fatalf("round trip %x %v, want %x", out, err, b[:n])
		}
		var l ExtensionList
		var seen [256]bool
		it := h.Extensions()
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			if !bytes.Equal(b[e.ValueOffset:e.ValueOffset+len(e.Value)], e.Value) || e.ElementOffset >= e.ValueOffset {
				t.Fatalf("element %d offsets %d/%d wrong", e.ID, e.ElementOffset, e.ValueOffset)
			}
			// The typed accessors take any element without panicking.
			h.AudioLevel(e.ID)
			h.AbsSendTime(e.ID)
			h.TransportCC(e.ID)
			h.PlayoutDelay(e.ID)
			h.VideoOrientation(e.ID)
			if m, ok := h.Mid(e.ID); ok && len(m) == 0 {
				t.Fatalf("Mid(%d) ok but empty", e.ID)
			}
			if r, ok := h.RtpStreamID(e.ID); ok && len(r) == 0 {
				t.Fatalf("RtpStreamID(%d) ok but empty", e.ID)
			}
			if !seen[e.ID] {
				seen[e.ID] = true
				// GetExtension finds the first element with the ID.
				if got := h.GetExtension(e.ID); got == nil || !bytes.Equal(got, e.Value) {
					t.Fatalf("GetExtension(%d) = %x, iterator %x", e.ID, got, e.Value)
				}
				if l.Len() < MaxExtensionElements {
					l.Set(e.ID, e.Value)
				}
			}
		}
		for id := range 256 {
			if !seen[id] && h.GetExtension(uint8(id)) != nil {
				t.Fatalf("GetExtension(%d) found an element the iterator did not yield", id)
			}
		}
		// Rebuilding the block keeps every first-seen element's value.
		scratch := make([]byte, l.MarshalSize())
		h2 := h
		if err := l.SetOn(&h2, scratch); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, h2.MarshalSize())
		if _, err := h2.MarshalTo(buf); err != nil {
			t.Fatal(err)
		}
		var h3 Header
		if _, err := h3.Unmarshal(buf); err != nil {
			t.Fatalf("rebuilt header does not parse: %v", err)
		}
		for i := 0; i < l.Len(); i++ {
			id, v := l.At(i)
			if got := h3.GetExtension(id); !bytes.Equal(got, v) {
				t.Fatalf("rebuilt ID %d = %x, want %x", id, got, v)
			}
		}
	})
}

func FuzzPacket(f *testing.F) {
	for _, s := range fuzzSeedPackets {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Packet
		if err := p.Unmarshal(b); err != nil {
			return
		}
		out, err := p.Marshal()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("round trip %x %v, want %x", out, err, b)
		}
		var m ExtensionIDMap
		for i := range m {
			m[i] = uint8(i)
		}
		pkt := append([]byte(nil), b...)
		if err := RemapExtensionIDsInPlace(pkt, &p.Header, &m); err != nil || !bytes.Equal(pkt, b) {
			t.Fatalf("identity remap changed the packet: %v", err)
		}
		// Renumbering to IDs above 14 rebuilds in the two-byte form; the
		// result parses and keeps payload and padding.
		var up ExtensionIDMap
		for i := 1; i < 256; i++ {
			up[i] = uint8(i%155 + 100)
		}
		var h Header
		if _, err := h.Unmarshal(pkt); err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, 2*len(b)+64)
		if out, err := RemapExtensionIDs(dst, pkt, &h, &up); err == nil {
			var q Packet
			if err := q.Unmarshal(out); err != nil {
				t.Fatalf("remapped packet %x does not parse: %v", out, err)
			}
			if !bytes.Equal(q.Payload, p.Payload) || !bytes.Equal(q.Padding, p.Padding) {
				t.Fatalf("remap changed payload or padding")
			}
		}
		if p.UnwrapRTX(1, 2) == nil && len(p.Payload)+2 > len(b) {
			t.Fatal("unwrapped payload grew")
		}
	})
}

func FuzzVP8Descriptor(f *testing.F) {
	for _, s := range [][]byte{{0x10, 0x50}, {0x90, 0xe0, 0x81, 0x23, 0x45, 0x60, 0x9c}, {0xe8, 0x1f, 0x05}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d VP8Descriptor
		n, err := d.Unmarshal(b)
		if err != nil {
			return
		}
		out := make([]byte, d.MarshalSize())
		if m, err := d.MarshalTo(out); err != nil || m != n || !bytes.Equal(out, b[:n]) {
			t.Fatalf("round trip %x %v, want %x", out, err, b[:n])
		}
		VP8IsKeyframe(b)
	})
}

func FuzzVP9Descriptor(f *testing.F) {
	for _, s := range [][]byte{{0xaa, 0x81, 0x02, 0x00, 0x07, 0x38, 0x01, 0x40, 0x00, 0xb4, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x04}, {0xf4, 0x05, 0x43, 0x03, 0x04}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d VP9Descriptor
		n, err := d.Unmarshal(b)
		if err != nil {
			return
		}
		out := make([]byte, d.MarshalSize())
		if m, err := d.MarshalTo(out); err != nil || m != n || !bytes.Equal(out, b[:n]) {
			t.Fatalf("round trip %x %v, want %x", out, err, b[:n])
		}
		if d.HasSS {
			if _, err := d.ScalabilityStructure(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func FuzzH264Payload(f *testing.F) {
	for _, s := range [][]byte{{0x65, 0x88}, {0x78, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0xce}, {0x7c, 0x85, 0x88}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h H264Payload
		if err := h.Unmarshal(b); err != nil {
			return
		}
		if h.IsKeyframe() && !h.HasIDR && !h.HasSPS {
			t.Fatal("keyframe without IDR or SPS")
		}
		if h.NALCount < 1 || h.NALCount > len(b) {
			t.Fatalf("NAL count %d for %d bytes", h.NALCount, len(b))
		}
	})
}

func FuzzOpusTOC(f *testing.F) {
	for _, s := range [][]byte{{0x78, 1}, {0x4b, 0x83, 0, 0}, {0x09, 1, 2}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var o OpusTOC
		if err := o.Unmarshal(b); err != nil {
			return
		}
		if d := o.Duration(); d <= 0 || d > 120e6 {
			t.Fatalf("duration %v", d)
		}
	})
}
