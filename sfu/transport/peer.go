package transport

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Handler receives what the mux routes to one peer. The read loop calls it
// synchronously: pkt is valid only during the call (copy what you keep), and
// the handler must not block. No mux lock is held during the call.
type Handler interface {
	// HandleSTUN gets a STUN message whose USERNAME names this peer's local
	// ufrag (or, without USERNAME, one from an address already bound to the
	// peer). Its verdict tells the mux what the ICE agent made of it
	// (RFC 8445 §7.3): STUNRejected counts a STUN authentication failure,
	// STUNAccepted binds from to the peer (DTLS and SRTP from it are routed
	// here), STUNNominated also makes from the address writes go to.
	HandleSTUN(msg []byte, from netip.AddrPort) STUNVerdict
	// HandleRTP gets an SRTP packet from a bound address (RFC 7983: first
	// byte 128..191, not RTCP).
	HandleRTP(pkt []byte, from netip.AddrPort)
	// HandleRTCP gets an SRTCP packet from a bound address (RFC 5761 §4).
	HandleRTCP(pkt []byte, from netip.AddrPort)
}

// STUNVerdict is a Handler's answer to a STUN message.
type STUNVerdict uint8

const (
	// STUNRejected: not authenticated (wrong ufrag/pwd, bad integrity); counted
	// as DropSTUNAuth.
	STUNRejected STUNVerdict = iota
	// STUNAccepted: authenticated (or an indication from a bound address);
	// the source address is bound to the peer.
	STUNAccepted
	// STUNNominated: authenticated and nominated (USE-CANDIDATE from a
	// controlling peer, RFC 8445 §7.3.1.5): bound and selected.
	STUNNominated
	// STUNIndication: a Binding Indication, the keepalive of RFC 8445
	// §11 (RFC 8489 §6.3.2: no response, no authentication). Normal
	// traffic: counted in Counters.STUNIndications, nothing is bound.
	STUNIndication
)

// Peer is one remote endpoint on the shared socket: its local ICE ufrag,
// the addresses it was authenticated from, and its DTLS transport.
type Peer struct {
	mux     *Mux
	ufrag   string
	handler Handler
	aliases []string // more local ufrags after ICE restarts (AddUfrag); guarded by Mux.mu
	conn    *packetConn

	remote     atomic.Pointer[netip.AddrPort] // selected remote address (last bound)
	remoteAddr atomic.Pointer[net.UDPAddr]    // the same as a net.Addr, for pion

	tap      atomic.Pointer[tapHolder] // SetTap; nil: no tap
	isClosed atomic.Bool               // closed, readable without mu by writers
	stopped  atomic.Bool               // StopSending called and no Select since

	mu     sync.Mutex // guards addrs, dtls, closed
	addrs  []netip.AddrPort
	dtls   net.Conn
	closed bool
}

// ErrPeerClosed is returned by writes on a closed peer.
var ErrPeerClosed = errors.New("transport: peer closed")

// ErrConsentExpired is returned by Write after StopSending.
var ErrConsentExpired = errors.New("transport: ICE consent expired, sending stopped (RFC 7675 §5.1)")

// ErrNoRemoteAddress is returned by writes before any address was bound.
var ErrNoRemoteAddress = errors.New("transport: peer has no authenticated remote address yet")

// LocalUfrag is the ICE username fragment the peer was registered with.
func (p *Peer) LocalUfrag() string { return p.ufrag }

// RemoteAddr returns the selected remote address (the first bound one, or
// the last selected) and false before any address is bound.
func (p *Peer) RemoteAddr() (netip.AddrPort, bool) {
	a := p.remote.Load()
	if a == nil {
		return netip.AddrPort{}, false
	}
	return *a, true
}

func (p *Peer) remoteNetAddr() net.Addr {
	if a := p.remoteAddr.Load(); a != nil {
		return a
	}
	return &net.UDPAddr{}
}

// Bind associates addr with this peer, so that DTLS, SRTP and SRTCP from it
// are routed here. The first bound address also becomes the selected one.
// The mux calls it for STUNAccepted.
func (p *Peer) Bind(addr netip.AddrPort) { p.bind(addr, false) }

// Select binds addr and makes it the address writes go to (ICE nomination,
// RFC 8445 §7.3.1.5). The mux calls it for STUNNominated; the SFU may call
// it when its ICE agent switches the selected pair.
func (p *Peer) Select(addr netip.AddrPort) { p.bind(addr, true) }

func (p *Peer) bind(addr netip.AddrPort, sel bool) {
	addr = netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port())
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	known := false
	for _, a := range p.addrs {
		if a == addr {
			known = true
			break
		}
	}
	var prev *Peer
	if !known {
		p.addrs = append(p.addrs, addr)
		// Under p.mu so that a concurrent Close cannot miss this address
		// (lock order: Peer.mu, then Mux.mu; the mux never calls back in).
		prev = p.mux.bindAddr(addr, p)
	}
	if sel {
		p.stopped.Store(false)
	}
	if cur := p.remote.Load(); cur == nil || (sel && *cur != addr) {
		selected := addr // allocated only when the selection changes
		p.remote.Store(&selected)
		p.remoteAddr.Store(net.UDPAddrFromAddrPort(addr))
	}
	p.mu.Unlock()
	// Logged without p.mu: a slow log sink must not block Close.
	if prev != nil && prev != p {
		p.mux.log.Warn("remote address moved to another peer", "addr", addr.String(), "from_ufrag", prev.ufrag, "to_ufrag", p.ufrag)
	}
}

// StopSending is what "media stops" means here when ICE consent expires
// (RFC 7675 §5.1: the endpoint "MUST immediately cease" sending on the
// pair): from now on Write, which carries SRTP, SRTCP and DTLS (SCTP and
// the close_notify of a later Close included), fails with
// ErrConsentExpired. WriteTo, used for STUN responses to the peer's
// checks, still works. A later Select (a nomination, which the ICE agent
// only accepts again after a restart) resumes sending.
func (p *Peer) StopSending() { p.stopped.Store(true) }

// Write sends one datagram to the selected remote address.
func (p *Peer) Write(b []byte) (int, error) {
	if p.isClosed.Load() {
		return 0, ErrPeerClosed
	}
	if p.stopped.Load() {
		return 0, ErrConsentExpired
	}
	a := p.remote.Load()
	if a == nil {
		return 0, ErrNoRemoteAddress
	}
	p.tapOut(b, *a)
	return p.mux.writeTo(b, *a)
}

// WriteTo sends one datagram to addr (a STUN response goes back to the
// address of its request, RFC 8489 §6.3.3).
func (p *Peer) WriteTo(b []byte, addr netip.AddrPort) (int, error) {
	if p.isClosed.Load() {
		return 0, ErrPeerClosed
	}
	p.tapOut(b, addr)
	return p.mux.writeTo(b, addr)
}

// Close unregisters the peer from the mux and closes its DTLS connection.
// It is safe to call more than once and from any goroutine.
func (p *Peer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	addrs := p.addrs
	p.addrs = nil
	d := p.dtls
	p.mu.Unlock()

	p.mux.unregister(p, addrs)
	var err error
	if d != nil {
		err = d.Close() // sends close_notify through Write
	}
	p.isClosed.Store(true)
	p.conn.Close()
	return err
}

// closing reports whether Close has begun.
func (p *Peer) closing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *Peer) setDTLS(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.dtls = c
	return true
}
