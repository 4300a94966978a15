package transport

import (
	"net/netip"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/internal/demux"
)

// endedLinger is how long after a peer closed the datagrams from its
// addresses and its ufrag are taken for what they are: its last words
// (the browser's DTLS close_notify after a DELETE, RFC 5246 §7.2.1; the
// consent checks it sends until its RTCPeerConnection closes). They are
// dropped and counted as DropAfterClose and logged at debug level, not
// warned about as traffic from strangers.
const endedLinger = 15 * time.Second

// maxEndedEntries bounds the memory of closed peers' addresses and ufrags;
// beyond it the oldest are forgotten first (their datagrams then count as
// unknown, as without this memory).
const maxEndedEntries = 4096

// endedPeers remembers closed peers' addresses and ufrags for endedLinger.
type endedPeers struct {
	mu     sync.Mutex
	addrs  map[netip.AddrPort]time.Time // until when
	ufrags map[string]time.Time
}

func (e *endedPeers) add(ufrag string, addrs []netip.AddrPort, now time.Time) {
	until := now.Add(endedLinger)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.addrs == nil {
		e.addrs = make(map[netip.AddrPort]time.Time)
		e.ufrags = make(map[string]time.Time)
	}
	prune(e.addrs, now)
	prune(e.ufrags, now)
	for _, a := range addrs {
		e.addrs[a] = until
	}
	e.ufrags[ufrag] = until
}

// prune drops expired entries once the map is at its bound, then the
// oldest ones while it still is.
func prune[K comparable](m map[K]time.Time, now time.Time) {
	if len(m) < maxEndedEntries {
		return
	}
	for k, t := range m {
		if !now.Before(t) {
			delete(m, k)
		}
	}
	for len(m) >= maxEndedEntries {
		var oldest K
		var first time.Time
		for k, t := range m {
			if first.IsZero() || t.Before(first) {
				oldest, first = k, t
			}
		}
		delete(m, oldest)
	}
}

func (e *endedPeers) hasAddr(a netip.AddrPort, now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.addrs[a]
	return ok && now.Before(t)
}

func (e *endedPeers) hasUfrag(u []byte, now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.ufrags[string(u)]
	return ok && now.Before(t)
}

func (m *Mux) endedAddr(a netip.AddrPort) bool { return m.ended.hasAddr(a, time.Now()) }
func (m *Mux) endedUfrag(u []byte) bool        { return m.ended.hasUfrag(u, time.Now()) }

// afterClose counts a datagram from a peer closed moments ago; it is
// logged (at debug level, at increasing intervals) because it is the
// normal end of a session, not an anomaly.
func (m *Mux) afterClose(class demux.Class, from netip.AddrPort) {
	if n := m.Counters.drop(DropAfterClose); n != 0 {
		m.log.Debug("datagram from a peer that just ended dropped", "reason", DropAfterClose.String(), "count", n,
			"from", from.String(), "class", class.String())
	}
}
