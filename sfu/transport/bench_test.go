package transport

import (
	"io"
	"log/slog"
	"net/netip"
	"testing"
)

// BenchmarkRouteRTP measures the read loop's per-packet work for SRTP from
// a bound address (classify, address lookup, handler call).
func BenchmarkRouteRTP(b *testing.B) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	p, _ := m.AddPeer("bench", discardHandler{})
	from := netip.MustParseAddrPort("127.0.0.1:9")
	p.Select(from)
	pkt := append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 1100)...)
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for i := 0; i < b.N; i++ {
		m.route(pkt, from)
	}
}

// BenchmarkRouteSTUN measures routing a binding request by USERNAME.
func BenchmarkRouteSTUN(b *testing.B) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	_, _ = m.AddPeer("bbbb", discardHandler{})
	msg := bindingRequest(b, "bbbb", "aaaa", "pw")
	from := netip.MustParseAddrPort("127.0.0.1:9")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.route(msg, from)
	}
}

// BenchmarkRouteDTLS measures queueing a DTLS record to a peer.
func BenchmarkRouteDTLS(b *testing.B) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	p, _ := m.AddPeer("bench", discardHandler{})
	from := netip.MustParseAddrPort("127.0.0.1:9")
	p.Select(from)
	rec := append([]byte{23, 0xfe, 0xfd}, make([]byte, 200)...)
	buf := make([]byte, 1500)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.route(rec, from)
		if _, _, err := p.conn.ReadFrom(buf); err != nil {
			b.Fatal(err)
		}
	}
}
