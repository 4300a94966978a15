package transport

import "net/netip"

// Tap sees every datagram of one peer, as it is on the wire: out is true
// for what we send. local is the media socket's address, remote the
// peer's. It is called on the read loop (incoming) or the sender's
// goroutine (outgoing) and must not block; pkt is valid only during the
// call. A session recorder and the protocol inspector use it.
type Tap func(out bool, pkt []byte, local, remote netip.AddrPort)

// SetTap installs t (nil removes it). It costs one atomic load per
// datagram when none is set.
func (p *Peer) SetTap(t Tap) {
	if t == nil {
		p.tapFn.Store(nil)
		return
	}
	p.tapFn.Store(&t)
}

func (p *Peer) tap(out bool, pkt []byte, remote netip.AddrPort) {
	if t := p.tapFn.Load(); t != nil {
		(*t)(out, pkt, p.mux.LocalAddrPort(), remote)
	}
}
