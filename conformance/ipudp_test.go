package conformance

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// TestDecodeIPUDPEdges pins how IP and UDP lengths delimit the payload:
// IHL (RFC 791 §3.1), total length against the captured bytes (link-layer
// padding, snapshot cuts), UDP length against the IP payload (RFC 768), and
// IPv6 jumbograms (RFC 2675: payload length 0, UDP length 0).
func TestDecodeIPUDPEdges(t *testing.T) {
	src := netip.MustParseAddrPort("192.0.2.1:4000")
	dst := netip.MustParseAddrPort("192.0.2.2:5000")
	payload := []byte("0123456789")
	ip := ipv4Packet(src.Addr(), dst.Addr(), ipProtoUDP, udpHeader(src, dst, payload))
	mod := func(f func(p []byte) []byte) []byte { return f(append([]byte(nil), ip...)) }

	v4 := []struct {
		name    string
		pkt     []byte
		payload string // "" when skipped
		reason  string
	}{
		{"plain", ip, "0123456789", ""},
		{"link padding after total length", append(append([]byte(nil), ip...), 0, 0, 0, 0), "0123456789", ""},
		{"IHL 4 words", mod(func(p []byte) []byte { p[0] = 0x44; return p }), "", "IPv4 header length 16"},
		{"IHL past capture", mod(func(p []byte) []byte { p[0] = 0x4f; return p[:40] }), "", "IPv4 header length 60 with 40 bytes"},
		{"total below IHL", mod(func(p []byte) []byte { binary.BigEndian.PutUint16(p[2:], 19); return p }), "", "total length 19 below header length 20"},
		{"cut by snapshot", ip[:len(ip)-3], "", "cut to 15 by the snapshot length"},
		{"UDP length past IP total", mod(func(p []byte) []byte { binary.BigEndian.PutUint16(p[24:], 30); return p }), "", "UDP length 30 exceeds the 18 bytes"},
		{"UDP length below header", mod(func(p []byte) []byte { binary.BigEndian.PutUint16(p[24:], 7); return p }), "", "UDP length 7 below the 8-byte header"},
		{"UDP length shorter than IP payload", mod(func(p []byte) []byte { binary.BigEndian.PutUint16(p[24:], 12); return p }), "0123", ""},
	}
	for _, tc := range v4 {
		d, reason := decodeIPv4(tc.pkt)
		if got := string(d.payload); got != tc.payload || !strings.Contains(reason, tc.reason) || (tc.reason == "") != (reason == "") {
			t.Errorf("%s: payload %q reason %q, want %q %q", tc.name, got, reason, tc.payload, tc.reason)
		}
		if tc.payload != "" && (d.src != src || d.dst != dst) {
			t.Errorf("%s: %v -> %v", tc.name, d.src, d.dst)
		}
	}

	// IPv6 jumbogram: payload length 0, a hop-by-hop header with the Jumbo
	// Payload option (type 0xc2), UDP length 0 (RFC 2675 §2, §4).
	a6, b6 := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	big := make([]byte, 70000)
	big[len(big)-1] = 0x7e
	udp := udpHeader(netip.AddrPortFrom(a6, 4000), netip.AddrPortFrom(b6, 5000), big)
	binary.BigEndian.PutUint16(udp[4:], 0)
	hbh := []byte{ipProtoUDP, 0, 0xc2, 4, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(hbh[4:], uint32(len(hbh)+len(udp)))
	jumbo := ipv6Packet(a6, b6, 0, append(hbh, udp...), false)
	binary.BigEndian.PutUint16(jumbo[4:], 0)
	d, reason := decodeIPv6(jumbo)
	if reason != "" || len(d.payload) != len(big) || d.payload[len(big)-1] != 0x7e {
		t.Errorf("jumbogram: %d payload bytes, reason %q", len(d.payload), reason)
	}
	// Payload length 0 and UDP length 0 below 64 KiB is no jumbogram.
	small := ipv6Packet(a6, b6, ipProtoUDP, udpHeader(netip.AddrPortFrom(a6, 1), netip.AddrPortFrom(b6, 2), payload), false)
	binary.BigEndian.PutUint16(small[4:], 0)
	binary.BigEndian.PutUint16(small[44:], 0)
	if _, reason := decodeIPv6(small); !strings.Contains(reason, "UDP length 0 below") {
		t.Errorf("UDP length 0 in a small packet: reason %q", reason)
	}
}

// TestPcapngInterfaceOutOfRange: an Enhanced Packet Block naming an
// interface the section has not described is an error naming the block
// and its offset (pcapng §4.3), and the frames before it are kept.
func TestPcapngInterfaceOutOfRange(t *testing.T) {
	le := binary.LittleEndian
	src := netip.MustParseAddrPort("192.0.2.1:4000")
	dst := netip.MustParseAddrPort("192.0.2.2:5000")
	frame := ipv4Packet(src.Addr(), dst.Addr(), ipProtoUDP, udpHeader(src, dst, []byte{1, 2, 3}))
	b := pcapngSHB(nil, le)
	b = pcapngIDB(b, le, linkTypeRaw, 0, 0x80|10, 0) // 2^-10 s
	b = pcapngEPB(b, le, 0, 3<<10|512, frame)
	off := len(b)
	b = pcapngEPB(b, le, 1, 0, frame)
	ds, _, err := ParseCapture(b)
	if len(ds) != 1 || err == nil || !strings.Contains(err.Error(), "interface 1 not described") ||
		!strings.Contains(err.Error(), "block 4") || !strings.Contains(err.Error(), "offset "+strconv.Itoa(off)) {
		t.Fatalf("%d datagrams, err %v", len(ds), err)
	}
	if got := ds[0].Time.UnixNano(); got != 3_500_000_000 {
		t.Errorf("if_tsresol 2^-10: time %d ns, want 3.5 s", got)
	}
}
