package transport

import (
	"net/netip"
	"time"
)

// Tap sees every datagram of one peer as it crosses the socket: what the
// mux routes to the peer (STUN by its USERNAME, DTLS, SRTP and SRTCP from
// its bound addresses) before the peer's handler or DTLS connection gets
// it — SRTP still protected, since handlers decrypt in place — and what the
// peer writes (STUN responses, DTLS flights, SRTP, SRTCP) just before the
// socket write, so that a reply read meanwhile comes after its cause (a
// write that then fails is seen all the same). src and dst are the wire's addresses. b is valid only during
// the call; Datagram must copy what it keeps and must not block. It is
// called from the read loop and from every writer at once.
type Tap interface {
	Datagram(at time.Time, src, dst netip.AddrPort, b []byte)
}

type tapHolder struct{ t Tap }

// SetTap makes t see the peer's datagrams from now on (sfu.Recorder is
// one); nil removes the tap. Without a tap a datagram costs one atomic
// load more.
func (p *Peer) SetTap(t Tap) {
	if t == nil {
		p.tap.Store(nil)
		return
	}
	p.tap.Store(&tapHolder{t})
}

// tapIn shows the tap a datagram received from the peer.
func (p *Peer) tapIn(b []byte, from netip.AddrPort) {
	if h := p.tap.Load(); h != nil {
		h.t.Datagram(time.Now(), from, p.mux.LocalAddrPort(), b)
	}
}

// tapOut shows the tap a datagram sent to the peer.
func (p *Peer) tapOut(b []byte, to netip.AddrPort) {
	if h := p.tap.Load(); h != nil {
		h.t.Datagram(time.Now(), p.mux.LocalAddrPort(), to, b)
	}
}

// Taps shows every datagram to each of its taps in turn (a recorder and an
// inspector watching one peer). Each must not block.
type Taps []Tap

// Datagram implements Tap.
func (ts Taps) Datagram(at time.Time, src, dst netip.AddrPort, b []byte) {
	for _, t := range ts {
		t.Datagram(at, src, dst, b)
	}
}
