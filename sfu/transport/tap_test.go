package transport

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/demux"
)

type tapLog struct {
	mu   sync.Mutex
	in   map[demux.Class]int
	out  map[demux.Class]int
	self netip.AddrPort
	bad  []string
}

func (l *tapLog) Datagram(at time.Time, src, dst netip.AddrPort, b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := demux.Classify(b)
	switch {
	case at.IsZero():
		l.bad = append(l.bad, "zero time")
	case dst == l.self:
		l.in[c]++
	case src == l.self:
		l.out[c]++
	default:
		l.bad = append(l.bad, src.String()+">"+dst.String())
	}
}

// TestTap: a tapped peer's DTLS flights both ways and the STUN routed to
// it are seen with the wire's addresses; removing the tap stops it.
func TestTap(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	l := &tapLog{in: map[demux.Class]int{}, out: map[demux.Class]int{}, self: a.mux.LocalAddrPort()}
	a.peer.SetTap(l)
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleClient,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: a=%v b=%v", ra.err, rb.err)
	}
	a.peer.SetTap(nil)
	if _, err := a.peer.Write([]byte{0x80, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}); err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.in[demux.STUN] == 0 || l.in[demux.DTLS] == 0 || l.out[demux.DTLS] == 0 || l.out[demux.RTP] != 0 || len(l.bad) > 0 {
		t.Errorf("tap saw in %v, out %v, bad %v", l.in, l.out, l.bad)
	}
}
