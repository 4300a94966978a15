package transport

import (
	"errors"
	"net"
	"net/netip"

	"github.com/plainrtc/plainrtc/internal/demux"
)

// readLoop is the mux's only goroutine: read, classify, route.
func (m *Mux) readLoop() {
	defer close(m.readDone)
	// One spare byte tells an oversized datagram from one of exactly
	// maxSize bytes.
	buf := make([]byte, m.maxSize+1)
	for {
		n, from, err := m.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			m.Counters.ReadErrors.Add(1)
			continue
		}
		m.Counters.Received.Add(1)
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		m.route(buf[:n], from)
	}
}

// route demultiplexes one datagram by its first byte (RFC 7983 §7).
func (m *Mux) route(b []byte, from netip.AddrPort) {
	if len(b) > m.maxSize {
		if n := m.Counters.drop(DropOversized); n != 0 {
			logDrop(m.log, DropOversized, n, "datagram dropped: oversized", "from", from.String(), "max_len", m.maxSize)
		}
		return
	}
	class := demux.Classify(b)
	if class == demux.Unknown && len(b) == 1 && b[0] >= 128 && b[0] <= 191 {
		// RFC 7983 §7 gives 128..191 to RTP and RTCP; one byte cannot tell
		// which (RFC 5761 §4 needs the second), but it is shorter than
		// either header: a truncated packet, not an unknown protocol.
		class = demux.RTP
	}
	switch class {
	case demux.STUN:
		if len(b) < minSTUN {
			m.truncated(class, b, from)
			return
		}
		m.routeSTUN(b, from)
	case demux.DTLS:
		if len(b) < minDTLS {
			m.truncated(class, b, from)
			return
		}
		p := m.knownPeer(class, from)
		if p == nil {
			return
		}
		p.tapIn(b, from)
		d := m.getDatagram()
		d.n = copy(d.b, b)
		if !p.conn.push(d) {
			m.putDatagram(d)
			if n := m.Counters.drop(DropQueueFull); n != 0 {
				logDrop(m.log, DropQueueFull, n, "DTLS datagram dropped: peer queue full or closed", "from", from.String(), "ufrag", p.ufrag)
			}
			return
		}
		m.Counters.DTLS.Add(1)
	case demux.RTP:
		if len(b) < minRTP {
			m.truncated(class, b, from)
			return
		}
		if p := m.knownPeer(class, from); p != nil {
			m.Counters.RTP.Add(1)
			p.tapIn(b, from)
			p.handler.HandleRTP(b, from)
		}
	case demux.RTCP:
		if len(b) < minRTCP {
			m.truncated(class, b, from)
			return
		}
		if p := m.knownPeer(class, from); p != nil {
			m.Counters.RTCP.Add(1)
			p.tapIn(b, from)
			p.handler.HandleRTCP(b, from)
		}
	default:
		first := -1
		if len(b) > 0 {
			first = int(b[0])
		}
		if n := m.Counters.drop(DropUnknownClass); n != 0 {
			logDrop(m.log, DropUnknownClass, n, "datagram dropped: first byte matches no protocol we serve (RFC 7983 §7)", "from", from.String(), "class", class.String(), "first_byte", first, "len", len(b))
		}
	}
}

func (m *Mux) truncated(class demux.Class, b []byte, from netip.AddrPort) {
	if n := m.Counters.drop(DropTruncated); n != 0 {
		logDrop(m.log, DropTruncated, n, "datagram dropped: shorter than its header", "from", from.String(), "class", class.String(), "len", len(b))
	}
}

func (m *Mux) knownPeer(class demux.Class, from netip.AddrPort) *Peer {
	p := m.peerByAddr(from)
	if p == nil && m.endedAddr(from) {
		m.afterClose(class, from)
		return nil
	}
	if p == nil {
		if n := m.Counters.drop(DropUnknownAddress); n != 0 {
			logDrop(m.log, DropUnknownAddress, n, "datagram dropped: source address not authenticated by ICE", "from", from.String(), "class", class.String())
		}
	}
	return p
}

// routeSTUN hands a STUN message to the peer named by its USERNAME
// (RFC 8445 §7.2.2), or without USERNAME (indications, responses) to the
// peer bound to its source address.
func (m *Mux) routeSTUN(b []byte, from netip.AddrPort) {
	var p *Peer
	if u, ok := m.ufragOf(b); ok {
		p = m.peerByUfrag(u)
		if p == nil && m.endedUfrag(u) {
			m.afterClose(demux.STUN, from)
			return
		}
		if p == nil {
			if n := m.Counters.drop(DropUnknownUfrag); n != 0 {
				logDrop(m.log, DropUnknownUfrag, n, "STUN dropped: USERNAME names no peer", "from", from.String(), "ufrag", string(u))
			}
			return
		}
	} else if p = m.peerByAddr(from); p == nil {
		if m.endedAddr(from) {
			m.afterClose(demux.STUN, from)
			return
		}
		if n := m.Counters.drop(DropUnknownUfrag); n != 0 {
			logDrop(m.log, DropUnknownUfrag, n, "STUN dropped: no USERNAME and unknown source address", "from", from.String())
		}
		return
	}
	m.Counters.STUN.Add(1)
	p.tapIn(b, from)
	switch p.handler.HandleSTUN(b, from) {
	case STUNAccepted:
		p.Bind(from)
	case STUNNominated:
		p.Select(from)
	case STUNIndication:
		m.Counters.STUNIndications.Add(1)
	default:
		if n := m.Counters.drop(DropSTUNAuth); n != 0 {
			logDrop(m.log, DropSTUNAuth, n, "STUN not authenticated by the peer's ICE agent", "from", from.String(), "ufrag", p.ufrag)
		}
	}
}
