package endpoint

import (
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// maxDatagram is the read buffer: WebRTC keeps datagrams under the MTU.
const maxDatagram = 1500

// readLoop reads the socket and routes each datagram by its first byte
// (RFC 7983 §7): STUN to the ICE agent, DTLS to pion/dtls, SRTP and SRTCP
// (RFC 5761 §4) through the remote SRTP context to ReadRTP/ReadRTCP.
// DTLS and SRTP are taken only from addresses ICE knows.
func (e *Endpoint) readLoop() {
	defer e.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := e.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || e.closed.Load() {
				return
			}
			continue // ICMP errors and the like
		}
		e.Stats.Received.Add(1)
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		pkt := buf[:n]
		if e.cfg.Tap != nil {
			e.cfg.Tap.Datagram(time.Now(), from, e.laddr, pkt)
		}
		if e.cfg.Record != nil {
			e.cfg.Record(RecordedDatagram{Time: time.Now(), Src: from, Dst: e.laddr, Payload: pkt})
		}
		switch demux.Classify(pkt) {
		case demux.STUN:
			e.mu.Lock()
			_ = e.agent.HandleSTUN(pkt, e.laddr, from, time.Now())
			e.flushLocked()
			e.mu.Unlock()
			e.wake()
		case demux.DTLS:
			if !e.fromPeer(from) {
				e.Stats.DropUnknownAddress.Add(1)
				continue
			}
			if !e.dtlsIn.push(append([]byte(nil), pkt...), from) {
				e.Stats.DropQueueFull.Add(1)
			}
		case demux.RTP, demux.RTCP:
			if !e.fromPeer(from) {
				e.Stats.DropUnknownAddress.Add(1)
				continue
			}
			e.receiveSRTP(pkt, demux.Classify(pkt) == demux.RTCP)
		default:
			e.Stats.DropUnknownClass.Add(1)
		}
	}
}

// fromPeer reports whether DTLS or SRTP from addr may be the peer's: the
// selected pair's remote, or before selection any candidate ICE knows
// (a DTLS client may send its ClientHello right after our nomination,
// RFC 8842 §5, before we processed the response).
func (e *Endpoint) fromPeer(addr netip.AddrPort) bool {
	if r := e.remote.Load(); r != nil {
		return *r == addr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.agent.KnownRemote(addr)
}

// receiveSRTP unprotects one packet (RFC 3711 §3.3, §3.4) and queues a
// copy of the plaintext.
func (e *Endpoint) receiveSRTP(pkt []byte, isRTCP bool) {
	in := e.srtpIn.Load()
	if in == nil {
		e.Stats.DropBeforeKeys.Add(1)
		return
	}
	var (
		clear []byte
		err   error
	)
	if isRTCP {
		clear, err = in.DecryptRTCP(pkt)
	} else {
		clear, err = in.DecryptRTP(pkt)
	}
	if err != nil {
		// srtp.ErrAuthFailed, srtp.ErrReplayed, or a malformed packet.
		e.Stats.DropSRTP.Add(1)
		return
	}
	ch, count := e.rtpCh, &e.Stats.RTPIn
	if isRTCP {
		ch, count = e.rtcpCh, &e.Stats.RTCPIn
	}
	select {
	case ch <- append([]byte(nil), clear...):
		count.Add(1)
	default:
		e.Stats.DropQueueFull.Add(1)
	}
}

// timerLoop calls the ICE agent's HandleTimeout at its NextTimeout
// (RFC 8445 §14.2 pacing, RFC 8489 retransmissions, RFC 7675 consent).
func (e *Endpoint) timerLoop() {
	defer e.wg.Done()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		e.mu.Lock()
		next, ok := e.agent.NextTimeout()
		e.mu.Unlock()
		d := time.Hour
		if ok {
			d = max(time.Until(next), 0)
		}
		t.Reset(d)
		select {
		case <-e.ctx.Done():
			return
		case <-e.kick:
		case now := <-t.C:
			e.mu.Lock()
			if next, ok := e.agent.NextTimeout(); ok && !now.Before(next) {
				e.agent.HandleTimeout(now)
				e.flushLocked()
			}
			e.mu.Unlock()
		}
	}
}

// flushLocked sends what the agent queued and reacts to its events.
func (e *Endpoint) flushLocked() {
	for tx, ok := e.agent.PollTransmit(); ok; tx, ok = e.agent.PollTransmit() {
		_ = e.write(tx.Payload, tx.Dst)
	}
	for ev, ok := e.agent.PollEvent(); ok; ev, ok = e.agent.PollEvent() {
		switch ev.Kind {
		case ice.EventConnected, ice.EventSelectedPairChanged:
			r := ev.Pair.Remote
			e.remote.Store(&r)
			e.log.Info("ICE connected", "pair", ev.Pair.Local.String()+"->"+ev.Pair.Remote.String(), "role", e.agent.Role().String())
			closeOnce(e.iceDone)
		case ice.EventFailed:
			e.log.Warn("ICE failed: every candidate pair failed (RFC 8445 §8.1.2)")
			closeOnce(e.iceFailed)
		case ice.EventConsentLost:
			e.log.Warn("ICE consent lost (RFC 7675 §5.1)", "pair", ev.Pair.Remote.String())
			closeOnce(e.consent)
		}
	}
}

func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}
