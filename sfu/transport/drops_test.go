package transport

import (
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestBadInputCountedAndHarmless(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleClient,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}

	stranger, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	dst := net.UDPAddrFromAddrPort(b.mux.LocalAddrPort())
	send := func(p []byte) {
		if _, err := stranger.WriteTo(p, dst); err != nil {
			t.Fatal(err)
		}
	}
	rtp := append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef}, make([]byte, 20)...)
	before := b.mux.Counters.Received.Load()
	send([]byte{0x00, 0x01, 0x00})                                    // truncated STUN
	send([]byte{22, 0xfe, 0xfd})                                      // truncated DTLS
	send([]byte{0x80})                                                // one byte of RTP/RTCP: truncated
	send([]byte{0x0a, 1, 2, 3, 4, 5, 6, 7})                           // first byte 10: unknown class
	send(append([]byte{0x80, 0xc8}, 1, 2, 3))                         // truncated RTCP
	send(make([]byte, 1600))                                          // oversized
	send(append([]byte{22, 0xfe, 0xfd}, make([]byte, 40)...))         // DTLS from an unknown address
	send(rtp)                                                         // SRTP from an unknown address
	send(bindingRequest(t, "bbbb", "evil", "not-the-password-0000"))  // STUN with wrong credentials
	send(bindingRequest(t, "nobody", "evil", "whatever-password-00")) // STUN for no peer
	want := map[DropReason]uint64{
		DropTruncated:      4,
		DropUnknownClass:   1,
		DropOversized:      1,
		DropUnknownAddress: 2,
		DropSTUNAuth:       1,
		DropUnknownUfrag:   1,
	}
	waitFor(t, func() bool { return b.mux.Counters.Received.Load()-before >= 10 })
	for r, n := range want {
		if got := b.mux.Counters.Drops(r); got != n {
			t.Errorf("drops %s = %d, want %d", r, got, n)
		}
	}
	// The stranger did not get bound, the session still carries data both
	// ways, and SRTP from the real peer still reaches the handler.
	if addr, _ := b.peer.RemoteAddr(); addr != a.mux.LocalAddrPort() {
		t.Errorf("b's selected address moved to %v", addr)
	}
	echo(t, ra.s.Conn, rb.s.Conn, []byte("still here"))
	echo(t, rb.s.Conn, ra.s.Conn, []byte("and back"))
	if _, err := a.peer.Write(rtp); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { n, _ := b.ice.counts(); return n == 1 })
	logs := b.log.String()
	for _, reason := range []string{"truncated", "oversized", "unknown-class", "unknown-address", "stun-auth", "unknown-ufrag"} {
		if !strings.Contains(logs, "reason="+reason) {
			t.Errorf("no log line for %s", reason)
		}
	}
}

// A flood of datagrams the mux drops must not allocate per datagram: the
// count is atomic and the log line (with its boxed arguments) is built
// only for the 1st, 2nd, 4th... drop of a reason.
func TestDropPathAllocatesNothing(t *testing.T) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.AddPeer("bbbb", discardHandler{}); err != nil {
		t.Fatal(err)
	}
	from := netip.MustParseAddrPort("127.0.0.1:9")
	for _, c := range []struct {
		reason DropReason
		pkt    []byte
	}{
		{DropTruncated, []byte{0x80, 0x60, 0, 1}},
		{DropUnknownClass, []byte{0xff, 1, 2, 3}},
		{DropOversized, make([]byte, DefaultMaxDatagramSize+1)},
		{DropUnknownAddress, append([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, make([]byte, 100)...)},
		{DropUnknownUfrag, bindingRequest(t, "nobody", "evil", "whatever-password-00")},
	} {
		for range 100 { // past the logged occurrences 1, 2, 4, ... 64
			m.route(c.pkt, from)
		}
		before := m.Counters.Drops(c.reason)
		allocs := testing.AllocsPerRun(50, func() { m.route(c.pkt, from) })
		if got := m.Counters.Drops(c.reason) - before; got != 51 {
			t.Errorf("%s: counted %d drops, want 51", c.reason, got)
		}
		if allocs != 0 {
			t.Errorf("%s: %.0f allocations per dropped datagram, want 0", c.reason, allocs)
		}
	}
}

// Every datagram has exactly one drop reason, fixed by its bytes alone
// (RFC 7983 §7 ranges): one shorter than the header of the protocol its
// first byte names is truncated, whatever that protocol; a first byte in
// no served range is unknown-class. In particular a single byte in
// 128..191 (RTP or RTCP, undecidable without the second byte) is
// truncated, not unknown-class.
func TestDropReasonOfShortDatagrams(t *testing.T) {
	m, err := Listen(Config{Addr: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	from := netip.MustParseAddrPort("127.0.0.1:9")
	want := func(first byte) DropReason {
		switch {
		case first <= 3, first >= 20 && first <= 63, first >= 128 && first <= 191:
			return DropTruncated // STUN, DTLS, RTP/RTCP
		}
		return DropUnknownClass
	}
	for first := 0; first < 256; first++ {
		for n := 1; n < minDTLS && n < minSTUN && n < minRTCP; n++ {
			pkt := make([]byte, n)
			pkt[0] = byte(first)
			if n > 1 {
				pkt[1] = 0x60 // an RTP payload type
			}
			r := want(byte(first))
			before := [numDropReasons]uint64{}
			for i := range before {
				before[i] = m.Counters.Drops(DropReason(i))
			}
			m.route(pkt, from)
			for i := range before {
				got, wantN := m.Counters.Drops(DropReason(i))-before[i], uint64(0)
				if DropReason(i) == r {
					wantN = 1
				}
				if got != wantN {
					t.Errorf("% x: %s moved by %d, want the drop counted once as %s", pkt, DropReason(i), got, r)
				}
			}
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
