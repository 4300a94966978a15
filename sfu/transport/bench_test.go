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

// BenchmarkRouteFlood measures what a flood of datagrams the mux drops
// costs the read loop: each is counted, and only the 1st, 2nd, 4th...
// of a reason is logged, so the drop path must allocate nothing.
func BenchmarkRouteFlood(b *testing.B) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	from := netip.MustParseAddrPort("127.0.0.1:9")
	flood := [][]byte{
		{0x80, 0x60, 0, 1}, // truncated RTP
		{0xff, 1, 2, 3},    // unknown class
		append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 100)...), // SRTP from an unknown address
	}
	for _, p := range flood { // warm up: the first drops of each reason are logged
		for range 64 {
			m.route(p, from)
		}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.route(flood[i%len(flood)], from)
	}
}
