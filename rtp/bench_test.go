package rtp

import "testing"

// A Chrome-like video packet: one-byte extensions (abs-send-time, twcc,
// mid), VP8 descriptor with 15-bit picture ID, TL0PICIDX and TID.
var benchPacket = append([]byte{
	0x90, 0xe0, 0x12, 0x34, 0x00, 0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef,
	0xbe, 0xde, 0x00, 0x03, 0x22, 0x01, 0x02, 0x03, 0x31, 0x00, 0x05, 0x40, 0x31, 0x00, 0x00, 0x00,
	0x90, 0xe0, 0x81, 0x23, 0x45, 0x60, 0x9c, 0x01, 0x2a,
}, make([]byte, 1100)...)

func BenchmarkHeaderUnmarshal(b *testing.B) {
	b.ReportAllocs()
	var h Header
	for i := 0; i < b.N; i++ {
		if _, err := h.Unmarshal(benchPacket); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeaderUnmarshalAndExtensions(b *testing.B) {
	b.ReportAllocs()
	var h Header
	for i := 0; i < b.N; i++ {
		if _, err := h.Unmarshal(benchPacket); err != nil {
			b.Fatal(err)
		}
		it := h.Extensions()
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	}
}

func BenchmarkHeaderMarshalTo(b *testing.B) {
	b.ReportAllocs()
	var h Header
	if _, err := h.Unmarshal(benchPacket); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1500)
	for i := 0; i < b.N; i++ {
		if _, err := h.MarshalTo(buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPacketUnmarshal(b *testing.B) {
	b.ReportAllocs()
	var p Packet
	for i := 0; i < b.N; i++ {
		if err := p.Unmarshal(benchPacket); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVP8DescriptorUnmarshal(b *testing.B) {
	b.ReportAllocs()
	var p Packet
	if err := p.Unmarshal(benchPacket); err != nil {
		b.Fatal(err)
	}
	var d VP8Descriptor
	for i := 0; i < b.N; i++ {
		if _, err := d.Unmarshal(p.Payload); err != nil {
			b.Fatal(err)
		}
	}
}

// The SFU's per-subscriber rewrite, in place: fixed header fields, the
// extension IDs and a new transport-wide sequence number.
func BenchmarkRewriteInPlace(b *testing.B) {
	b.ReportAllocs()
	pkt := append([]byte(nil), benchPacket...)
	var m ExtensionIDMap
	m[2], m[3], m[4] = 3, 5, 1
	var back ExtensionIDMap
	back[3], back[5], back[1] = 2, 3, 4
	var h Header
	twcc := []byte{0, 0}
	for i := 0; i < b.N; i++ {
		if _, err := h.Unmarshal(pkt); err != nil {
			b.Fatal(err)
		}
		RewriteFixedHeader(pkt, 100, uint16(i), uint32(i), 0x1234)
		mm := &m
		if i%2 == 1 {
			mm = &back
		}
		if err := RemapExtensionIDsInPlace(pkt, &h, mm); err != nil {
			b.Fatal(err)
		}
		twcc[0], twcc[1] = byte(i>>8), byte(i)
		SetExtensionInPlace(pkt, &h, 5, twcc)
	}
}

// Rebuilding the extension block (when the forms or sizes change).
func BenchmarkExtensionListRebuild(b *testing.B) {
	b.ReportAllocs()
	var p Packet
	if err := p.Unmarshal(benchPacket); err != nil {
		b.Fatal(err)
	}
	var m ExtensionIDMap
	m[2], m[3], m[4] = 3, 5, 20
	scratch := make([]byte, 256)
	out := make([]byte, 1500)
	var l ExtensionList
	for i := 0; i < b.N; i++ {
		q := p
		if err := l.FromHeader(&q.Header); err != nil {
			b.Fatal(err)
		}
		l.Remap(&m)
		if err := l.SetOn(&q.Header, scratch); err != nil {
			b.Fatal(err)
		}
		if _, err := q.MarshalTo(out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetExtension(b *testing.B) {
	b.ReportAllocs()
	var h Header
	if _, err := h.Unmarshal(benchPacket); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if h.GetExtension(2) == nil || h.GetExtension(3) == nil || h.GetExtension(4) == nil {
			b.Fatal("missing extension")
		}
	}
}
