package sfu

import (
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// handleRTP takes one decrypted RTP packet from participant p: it updates
// the track's reception statistics, keeps the packet in the track's cache
// (one copy, shared) and decides, per subscriber, whether and how it is
// forwarded (RFC 7667 §3.7). The rewriting itself is the subscribers'
// sender workers' job.
func (r *room) handleRTP(p *peer, pkt []byte, now time.Time) {
	p.stats.rtpIn++
	if len(p.tracks) == 0 {
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
		t = r.learnSSRC(p, &h)
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
	r.nackUpstream(t, h.SequenceNumber)
	if t.codec.Clock > 0 {
		// Arrival in the stream's clock units (RFC 3550 §A.8); only
		// differences matter, so any epoch does.
		arrival := uint32(rtpTicks(now.Sub(r.epoch), t.codec.Clock))
		t.jitter.Update(arrival, h.Timestamp)
	}
	b := newPktBuf(pkt)
	if b == nil {
		p.stats.rtpBad++
		return
	}
	defer b.release()
	if h.SSRC == t.ssrc {
		t.cache.put(h.SequenceNumber, b)
	}
	if t.kind == "audio" {
		r.audioLevel(t, &h)
	}
	keyframe := t.kind == "video" && isKeyframe(t.codecName, pkt[n:])
	for _, d := range t.downs {
		if !d.sub.ready {
			continue // nothing reaches it yet
		}
		rw, ok := d.rw.decide(&h, keyframe, now)
		if !ok {
			if d.rw.needKeyframe {
				r.requestKeyframe(t, now)
			}
			continue
		}
		if d.rw.switches != d.switchesSeen {
			d.switchesSeen = d.rw.switches
			r.event(Event{Kind: EventSourceSwitch, Time: now, Participant: t.pub.id, Track: t.id, Subscriber: d.sub.id})
		}
		d.history.add(rw.seq, h.SequenceNumber, h.SSRC, rw.ts, d.gen)
		r.forward(d.sub, b, rw)
		d.forwarded++
	}
}

// learnSSRC binds an SSRC not signalled in the offer to a track, by the MID
// header extension (RFC 9143 §9.2) or, failing that, by a payload type
// only one track of the publisher uses.
func (r *room) learnSSRC(p *peer, h *rtp.Header) *track {
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
		r.log.Info("track SSRC learned", "peer", p.id, "mid", t.mid, "ssrc", h.SSRC)
	} else {
		// A new SSRC for the track (the publisher restarted its encoder):
		// subscribers' rewriters see a source switch; the cache holds the
		// new source only.
		delete(p.bySSRC, t.ssrc)
		t.ssrc = h.SSRC
		t.cache.clear()
	}
	p.bySSRC[h.SSRC] = t
	return t
}
