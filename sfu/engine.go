package sfu

import (
	"log/slog"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
	"github.com/plainrtc/plainrtc/rtp"
)

// engine is the forwarding core: rooms, peers, tracks. It is a plain state
// machine in the str0m style: handleRTP, handleRTCP and tick are fed
// decrypted packets and the time; what must be sent is appended to the
// outbox, which the owner drains (encrypts, writes) after each call. It owns
// no goroutine, socket or clock, so tests drive it with synthetic packets
// and a fake clock.
type engine struct {
	log   *slog.Logger
	epoch time.Time // origin of jitter arrival times
	rooms map[string]*room
	peers map[string]*peer

	// outbox: packets to send, stored back to back in arena.
	out   []transmit
	arena []byte

	scratch [1500]byte
	rtcpIt  rtcp.Iterator
	nack    rtcp.NACK
	fir     rtcp.FIR
	pli     rtcp.PLI
	sr      rtcp.SenderReport
	rr      rtcp.ReceiverReport
	sdes    rtcp.SourceDescription
	reports []rtcp.ReceptionReport
}

// transmit is one plaintext RTP or RTCP packet to protect and send to a peer.
type transmit struct {
	to     *peer
	rtcp   bool
	off, n int
}

func newEngine(log *slog.Logger) *engine {
	return &engine{log: log, epoch: time.Unix(0, 0), rooms: map[string]*room{}, peers: map[string]*peer{}}
}

// emit copies pkt into the outbox.
func (e *engine) emit(to *peer, isRTCP bool, pkt []byte) []byte {
	off := len(e.arena)
	e.arena = append(e.arena, pkt...)
	e.out = append(e.out, transmit{to: to, rtcp: isRTCP, off: off, n: len(pkt)})
	if isRTCP {
		to.stats.rtcpOut++
	} else {
		to.stats.rtpOut++
	}
	return e.arena[off : off+len(pkt)]
}

// drain hands every queued packet to send, then empties the outbox.
func (e *engine) drain(send func(to *peer, isRTCP bool, pkt []byte)) {
	for _, t := range e.out {
		if !t.to.closed {
			send(t.to, t.rtcp, e.arena[t.off:t.off+t.n])
		}
	}
	e.out = e.out[:0]
	e.arena = e.arena[:0]
}

// handleRTP routes one decrypted RTP packet from p to the subscribers of its
// track, rewritten for each (RFC 7667 §3.7).
func (e *engine) handleRTP(p *peer, pkt []byte, now time.Time) {
	p.stats.rtpIn++
	if p.kind != KindWHIP {
		p.stats.rtpFromSubscriber++
		return
	}
	var h rtp.Header
	n, err := h.Unmarshal(pkt)
	if err != nil {
		p.stats.rtpBad++
		return
	}
	t := p.bySSRC[h.SSRC]
	if t == nil {
		t = e.learnSSRC(p, &h)
		if t == nil {
			return
		}
	}
	if h.SSRC == t.rtx {
		p.stats.rtpRTX++
		return
	}
	t.packets++
	t.bytes += uint64(len(pkt))
	t.src.Update(h.SequenceNumber)
	if t.codec.Clock > 0 {
		// Arrival in the stream's clock units (RFC 3550 §A.8); only
		// differences matter, so any epoch does.
		arrival := uint32(rtpTicks(now.Sub(e.epoch), t.codec.Clock))
		t.jitter.Update(arrival, h.Timestamp)
	}
	payload := pkt[n:]
	for _, d := range t.downs {
		if d.sub.closed || !d.sub.ready {
			continue // nothing reaches it yet: no rewriting, no caching
		}
		out := e.emit(d.sub, false, pkt)
		if !d.rw.rewrite(out, &h, payload, now) {
			e.unemit(d.sub)
			if d.rw.needKeyframe {
				e.requestKeyframe(t, now)
			}
			continue
		}
		d.packets++
		d.octets += uint32(len(payload))
		if d.kind == "video" {
			if d.cache == nil {
				// Allocated on the first packet sent, not at the offer:
				// ~380 KB per stream must not be had for a POST.
				d.cache = &packetCache{}
			}
			d.cache.put(h.SequenceNumber+d.rw.seqOffset, out)
		}
	}
}

// unemit drops the last queued packet (the rewriter refused it).
func (e *engine) unemit(to *peer) {
	last := e.out[len(e.out)-1]
	e.out = e.out[:len(e.out)-1]
	e.arena = e.arena[:last.off]
	to.stats.rtpOut--
}

// learnSSRC binds an SSRC not signalled in the offer to a track, by the MID
// header extension (RFC 9143 §9.2) or, failing that, by a payload type
// only one track of the publisher uses.
func (e *engine) learnSSRC(p *peer, h *rtp.Header) *track {
	var t *track
	if p.midExtID != 0 {
		if mid := h.GetExtension(p.midExtID); mid != nil {
			t = p.byMid[string(mid)]
		}
	}
	if t == nil {
		for _, c := range p.tracks {
			if c.codec.PT == h.PayloadType {
				if t != nil {
					t = nil // ambiguous
					break
				}
				t = c
			}
		}
	}
	if t == nil {
		p.stats.rtpUnknownSSRC++
		return nil
	}
	if t.codec.PT != h.PayloadType {
		// Another payload type on a known MID: an RTX stream (RFC 4588).
		t.rtx = h.SSRC
	} else if t.ssrc == 0 {
		t.ssrc = h.SSRC
		e.log.Info("track SSRC learned", "peer", p.id, "mid", t.mid, "ssrc", h.SSRC)
	} else {
		// A new SSRC for the track (the publisher restarted its encoder):
		// subscribers' rewriters see a source switch.
		delete(p.bySSRC, t.ssrc)
		t.ssrc = h.SSRC
	}
	p.bySSRC[h.SSRC] = t
	return t
}

// rtpTicks converts a duration to ticks of an RTP clock of the given rate
// without overflowing for long durations.
func rtpTicks(d time.Duration, clock uint32) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(d/time.Second)*uint64(clock) + uint64(d%time.Second)*uint64(clock)/uint64(time.Second)
}
