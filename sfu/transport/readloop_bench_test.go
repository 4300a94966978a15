package transport

import (
	"io"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// countingHandler counts the RTP the read loop hands it.
type countingHandler struct{ rtp atomic.Uint64 }

func (h *countingHandler) HandleSTUN([]byte, netip.AddrPort) STUNVerdict { return STUNRejected }
func (h *countingHandler) HandleRTP([]byte, netip.AddrPort)              { h.rtp.Add(1) }
func (h *countingHandler) HandleRTCP([]byte, netip.AddrPort)             {}

// BenchmarkReadLoopUDP measures the whole receive path of the one read loop
// over a real loopback socket: a client socket sends 1112-byte RTP
// datagrams, the kernel delivers them, the read loop classifies, looks up
// and hands each to its peer's handler. ns/op is per datagram received and
// includes the sender's syscall on the same machine. It is the measurement
// behind keeping one socket and one read loop (docs/DESIGN.md): compare it
// with the sender workers' ~1.2 µs per subscriber per packet
// (sfu BenchmarkForward). Run it with -cpu 2 or more: with one P the
// spinning sender keeps the scheduler from polling the network, and the
// figure measures that, not the read path.
func BenchmarkReadLoopUDP(b *testing.B) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	h := &countingHandler{}
	p, _ := m.AddPeer("bench", h)
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p.Select(c.LocalAddr().(*net.UDPAddr).AddrPort())
	dst := m.LocalAddrPort()
	pkt := append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 1100)...)
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	b.ResetTimer()
	sent := uint64(0)
	for i := 0; i < b.N; i++ {
		if _, err := c.WriteToUDPAddrPort(pkt, dst); err != nil {
			b.Fatal(err)
		}
		sent++
		for sent-h.rtp.Load() > 64 { // stay inside the socket buffer: no loss
			runtime.Gosched()
		}
	}
	for deadline := time.Now().Add(5 * time.Second); h.rtp.Load() < sent; runtime.Gosched() {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d datagrams arrived", h.rtp.Load(), sent)
		}
	}
}
