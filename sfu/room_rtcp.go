package sfu

import (
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// RTCP termination (RFC 3550 §6, RFC 7667 §3.7): the SFU answers each leg's
// RTCP itself. Feedback from subscribers becomes throttled keyframe
// requests to publishers or retransmissions from the packet cache; reports
// are the SFU's own, per leg.

// requestKeyframe asks t's publisher for a keyframe with a PLI
// (RFC 4585 §6.3.1), at most once per keyframeInterval.
func (r *room) requestKeyframe(t *track, now time.Time) {
	if t.kind != "video" || t.ssrc == 0 || t.pub.closed {
		return
	}
	if !t.lastPLI.IsZero() && now.Sub(t.lastPLI) < keyframeInterval {
		t.throttled++
		return
	}
	t.lastPLI = now
	t.plis++
	r.event(Event{Kind: EventKeyframeAsked, Time: now, Participant: t.pub.id, Track: t.id})
	r.pli = rtcp.PLI{SenderSSRC: t.pub.ssrc, MediaSSRC: t.ssrc}
	b, err := rtcp.AppendCompound(r.scratch[:0], &r.pli)
	if err != nil {
		return
	}
	if !t.pub.rsize {
		// Without reduced-size RTCP a feedback message must ride in a
		// compound that starts with a report (RFC 3550 §6.1, RFC 5506 §3).
		r.rr = rtcp.ReceiverReport{SSRC: t.pub.ssrc}
		b, err = rtcp.AppendCompound(r.scratch[:0], &r.rr, &r.pli)
		if err != nil {
			return
		}
	}
	r.emit(t.pub, true, b)
}

// handleRTCP terminates one decrypted compound RTCP packet from p
// (RFC 3550 §6; the SFU is an RTP translator that keeps each leg's RTCP to
// itself, RFC 7667 §3.7): sender reports feed our receiver reports,
// PLI/FIR become (throttled) keyframe requests to the publisher, NACKs are
// answered from the stream's packet cachr.
func (r *room) handleRTCP(p *peer, pkt []byte, now time.Time) {
	p.stats.rtcpIn++
	r.rtcpIt.Reset(pkt)
	var rp rtcp.Packet
	for r.rtcpIt.Next(&rp) {
		switch rp.Kind() {
		case rtcp.KindSenderReport:
			if r.sr.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			if t := p.bySSRC[r.sr.SSRC]; t != nil && r.sr.SSRC == t.ssrc {
				t.lastSR = rtcp.NTPMiddle(r.sr.NTPTime)
				t.lastSRAt = now
				t.srRTP = r.sr.RTPTime
			}
			r.receptionReports(p, r.sr.Reports, now)
		case rtcp.KindReceiverReport:
			if r.rr.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			r.receptionReports(p, r.rr.Reports, now)
		case rtcp.KindPLI:
			p.stats.pliIn++
			if r.pli.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			r.keyframeFromSubscriber(p, r.pli.MediaSSRC, now)
		case rtcp.KindFIR:
			p.stats.firIn++
			if r.fir.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			for _, en := range r.fir.Entries {
				r.keyframeFromSubscriber(p, en.SSRC, now)
			}
		case rtcp.KindNACK:
			p.stats.nackIn++
			if r.nack.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			r.answerNACK(p, now)
		}
	}
	if r.rtcpIt.Err() != nil {
		p.stats.rtcpBad++
	}
}

// receptionReports reads a subscriber's report blocks about our outgoing
// streams: the round-trip time from LSR and DLSR (RFC 3550 §6.4.1) and the
// loss it sees. They stay on this leg (the SFU terminates RTCP).
func (r *room) receptionReports(p *peer, reports []rtcp.ReceptionReport, now time.Time) {
	for i := range reports {
		d := p.downBySSRC[reports[i].SSRC]
		if d == nil {
			continue
		}
		d.fractionLost = reports[i].FractionLost
		if rtt, ok := rtcp.RoundTrip(rtcp.NTPTime(now), &reports[i]); ok {
			d.rtt = rtt
		}
	}
}

func (r *room) keyframeFromSubscriber(p *peer, ssrc uint32, now time.Time) {
	d := p.downBySSRC[ssrc]
	if d == nil {
		p.stats.rtcpUnknownSSRC++
		return
	}
	d.keyframeRq++
	if d.track != nil {
		r.requestKeyframe(d.track, now)
	}
}

// answerNACK answers a subscriber's NACK (RFC 4585 §6.2.1) from the
// track's shared cache. Where the subscriber negotiated RTX the packet goes
// in an RTX packet (RFC 4588) on its own SSRC. Without RTX it is rewritten
// exactly as it was the first time (same source packet, same numbers, same
// extension mapping), so the subscriber's sender worker protects identical
// content under the same SRTP index and the retransmission is byte for byte
// the original (RFC 3711 §9.1 allows nothing else). A packet is resent at
// most once per nackResendInterval; one whose source packet left the cache,
// or whose stream has since switched source, is not (counted).
func (r *room) answerNACK(p *peer, now time.Time) {
	d := p.downBySSRC[r.nack.MediaSSRC]
	if d == nil {
		p.stats.rtcpUnknownSSRC++
		return
	}
	for _, pair := range r.nack.Pairs {
		pair.ForEach(func(seq uint16) { r.resend(d, seq, now) })
	}
}

func (r *room) resend(d *downTrack, seq uint16, now time.Time) {
	d.nacked++
	e := d.history.get(seq)
	if e == nil || e.gen != d.gen || d.track == nil {
		d.notCached++
		return
	}
	b := d.track.cache.get(e.srcSeq)
	if b == nil || rtpSSRC(b.bytes()) != e.srcSSRC {
		d.notCached++
		return
	}
	if !e.resentAt.IsZero() && now.Sub(e.resentAt) < nackResendInterval {
		d.throttled++
		return
	}
	e.resentAt = now
	d.resent++
	rw := rewrite{ext: d.rw.extMap, ts: e.ts, ssrc: d.ssrc, seq: seq, pt: d.rw.dst.PT}
	if d.rtxPT != 0 {
		// RFC 4588 §4: the packet as first sent, its sequence number
		// (the OSN) first in the payload, on the RTX stream.
		rw.rtx = &rtxRewrite{ssrc: d.rtxSSRC, seq: d.rtxSeq, pt: d.rtxPT}
		d.rtxSeq++
	}
	r.forward(d.sub, b, rw)
}

// rtpSSRC reads the SSRC of a packet the room already parsed once.
func rtpSSRC(pkt []byte) uint32 {
	return uint32(pkt[8])<<24 | uint32(pkt[9])<<16 | uint32(pkt[10])<<8 | uint32(pkt[11])
}
