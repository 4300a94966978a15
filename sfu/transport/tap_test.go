package transport

import (
	"net/netip"
	"sync"
	"testing"
	"time"
)

// A tap sees a peer's datagrams both ways, exactly as on the wire: the
// checks each side received and the DTLS handshake, and nothing of
// another peer.
func TestTapSeesBothDirections(t *testing.T) {
	a := newEndpoint(t, "aaaa", "a-password-0123456789")
	b := newEndpoint(t, "bbbb", "b-password-0123456789")
	var mu sync.Mutex
	var in, out [][]byte
	a.peer.SetTap(func(o bool, pkt []byte, local, remote netip.AddrPort) {
		mu.Lock()
		defer mu.Unlock()
		cp := append([]byte(nil), pkt...)
		if o {
			out = append(out, cp)
		} else {
			in = append(in, cp)
		}
	})
	connectICE(t, a, b)
	ra, rb := handshake(t, a, b, RoleClient,
		[]Fingerprint{b.mux.Certificate().Fingerprint()},
		[]Fingerprint{a.mux.Certificate().Fingerprint()})
	if ra.err != nil || rb.err != nil {
		t.Fatalf("handshake: %v %v", ra.err, rb.err)
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(in) == 0 || in[0][0] > 3 {
		t.Fatalf("first datagram in is not the STUN check: %d in", len(in))
	}
	var dtlsOut, dtlsIn int
	for _, p := range out {
		if p[0] >= 20 && p[0] <= 63 {
			dtlsOut++
		}
	}
	for _, p := range in {
		if p[0] >= 20 && p[0] <= 63 {
			dtlsIn++
		}
	}
	if dtlsOut == 0 || dtlsIn == 0 {
		t.Fatalf("DTLS datagrams seen: %d out, %d in", dtlsOut, dtlsIn)
	}
}
