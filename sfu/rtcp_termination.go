package sfu

import (
	"math/rand/v2"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// RTCP termination (RFC 3550 §6, RFC 7667 §3.7): the SFU answers each leg's
// RTCP itself. Feedback from subscribers becomes throttled keyframe
// requests to publishers or retransmissions from the packet cache; reports
// are the SFU's own, per leg.

// requestKeyframe asks t's publisher for a keyframe with a PLI
// (RFC 4585 §6.3.1), at most once per keyframeInterval.
func (e *engine) requestKeyframe(t *track, now time.Time) {
	if t.kind != "video" || t.ssrc == 0 || t.pub.closed {
		return
	}
	if !t.lastPLI.IsZero() && now.Sub(t.lastPLI) < keyframeInterval {
		t.throttled++
		return
	}
	t.lastPLI = now
	t.plis++
	e.pli = rtcp.PLI{SenderSSRC: t.pub.ssrc, MediaSSRC: t.ssrc}
	b, err := rtcp.AppendCompound(e.scratch[:0], &e.pli)
	if err != nil {
		return
	}
	if !t.pub.rsize {
		// Without reduced-size RTCP a feedback message must ride in a
		// compound that starts with a report (RFC 3550 §6.1, RFC 5506 §3).
		e.rr = rtcp.ReceiverReport{SSRC: t.pub.ssrc}
		b, err = rtcp.AppendCompound(e.scratch[:0], &e.rr, &e.pli)
		if err != nil {
			return
		}
	}
	e.emit(t.pub, true, b)
}

// handleRTCP terminates one decrypted compound RTCP packet from p
// (RFC 3550 §6; the SFU is an RTP translator that keeps each leg's RTCP to
// itself, RFC 7667 §3.7): sender reports feed our receiver reports,
// PLI/FIR become (throttled) keyframe requests to the publisher, NACKs are
// answered from the stream's packet cache.
func (e *engine) handleRTCP(p *peer, pkt []byte, now time.Time) {
	p.stats.rtcpIn++
	e.rtcpIt.Reset(pkt)
	var rp rtcp.Packet
	for e.rtcpIt.Next(&rp) {
		switch rp.Kind() {
		case rtcp.KindSenderReport:
			if e.sr.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			if t := p.bySSRC[e.sr.SSRC]; t != nil {
				t.lastSR = rtcp.NTPMiddle(e.sr.NTPTime)
				t.lastSRAt = now
			}
			e.receptionReports(p, e.sr.Reports, now)
		case rtcp.KindReceiverReport:
			if e.rr.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			e.receptionReports(p, e.rr.Reports, now)
		case rtcp.KindPLI:
			p.stats.pliIn++
			if e.pli.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			e.keyframeFromSubscriber(p, e.pli.MediaSSRC, now)
		case rtcp.KindFIR:
			p.stats.firIn++
			if e.fir.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			for _, en := range e.fir.Entries {
				e.keyframeFromSubscriber(p, en.SSRC, now)
			}
		case rtcp.KindNACK:
			p.stats.nackIn++
			if e.nack.Unmarshal(rp.Raw) != nil {
				p.stats.rtcpBad++
				continue
			}
			e.answerNACK(p, now)
		}
	}
	if e.rtcpIt.Err() != nil {
		p.stats.rtcpBad++
	}
}

// receptionReports reads a subscriber's report blocks about our outgoing
// streams: the round-trip time from LSR and DLSR (RFC 3550 §6.4.1) and the
// loss it sees. They stay on this leg (the SFU terminates RTCP).
func (e *engine) receptionReports(p *peer, reports []rtcp.ReceptionReport, now time.Time) {
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

func (e *engine) keyframeFromSubscriber(p *peer, ssrc uint32, now time.Time) {
	d := p.downBySSRC[ssrc]
	if d == nil {
		p.stats.rtcpUnknownSSRC++
		return
	}
	d.keyframeRq++
	if d.track != nil {
		e.requestKeyframe(d.track, now)
	}
}

// answerNACK resends the packets a subscriber lost from the stream's cache,
// unchanged (same SSRC and sequence number: no RTX was negotiated with the
// subscriber, RFC 4585 §6.2.1), each at most once per nackResendInterval.
// Packets no longer cached are not asked from the publisher.
func (e *engine) answerNACK(p *peer, now time.Time) {
	d := p.downBySSRC[e.nack.MediaSSRC]
	if d == nil {
		p.stats.rtcpUnknownSSRC++
		return
	}
	for _, pair := range e.nack.Pairs {
		pair.ForEach(func(seq uint16) {
			d.nacked++
			if d.cache == nil {
				return
			}
			b, throttled, ok := d.cache.resend(seq, now)
			if throttled {
				d.throttled++
			}
			if ok {
				d.resent++
				e.emit(p, false, b)
			}
		})
	}
}

// tick sends the periodic RTCP reports that are due: receiver reports to
// publishers (one block per track), sender reports to subscribers (one per
// outgoing stream), each with an SDES CNAME (RFC 3550 §6.1, §6.4). The
// interval is randomised in [0.5, 1.5] s (RFC 3550 §6.3.1, with a fixed
// 1 s base since the bandwidth share of a few streams is small).
func (e *engine) tick(now time.Time) {
	for _, p := range e.peers {
		if p.closed || !p.ready || now.Before(p.nextReport) {
			continue
		}
		p.nextReport = now.Add(500*time.Millisecond + rand.N(time.Second))
		e.report(p, now)
	}
}

func (e *engine) report(p *peer, now time.Time) {
	b := e.scratch[:0]
	var err error
	switch p.kind {
	case KindWHIP:
		e.reports = e.reports[:0]
		for _, t := range p.tracks {
			if t.ssrc == 0 || !t.src.Valid() {
				continue
			}
			rr := rtcp.ReceptionReport{
				SSRC:               t.ssrc,
				FractionLost:       t.src.FractionLost(),
				TotalLost:          t.src.Lost(),
				ExtendedHighestSeq: t.src.ExtendedHighestSequence(),
				Jitter:             t.jitter.Value(),
				LastSR:             t.lastSR,
			}
			if !t.lastSRAt.IsZero() {
				rr.DelaySinceLastSR = rtcp.DelayUnits(now.Sub(t.lastSRAt))
			}
			e.reports = append(e.reports, rr)
		}
		// More than 31 blocks need more RR packets (RFC 3550 §6.1).
		b, err = rtcp.AppendReceiverReports(b, p.ssrc, e.reports)
		if err == nil {
			b, err = e.appendSDES(b, p, p.ssrc)
		}
	case KindWHEP:
		ntp := rtcp.NTPTime(now)
		sent := false
		for _, d := range p.downs {
			if d.packets == 0 {
				continue
			}
			// RTP time of "now": the newest sent timestamp advanced by
			// the time since it arrived (RFC 3550 §6.4.1). The
			// rewriter's lastOutTS ignores reordered packets, so the
			// SR's RTP time never steps back with them.
			rtpNow := d.rw.lastOutTS + uint32(rtpTicks(now.Sub(d.rw.lastAt), d.codec.Clock))
			e.sr = rtcp.SenderReport{SSRC: d.ssrc, NTPTime: ntp, RTPTime: rtpNow, PacketCount: d.packets, OctetCount: d.octets}
			if b, err = rtcp.AppendCompound(b, &e.sr); err != nil {
				break
			}
			if b, err = e.appendSDES(b, p, d.ssrc); err != nil {
				break
			}
			sent = true
		}
		if !sent {
			e.rr = rtcp.ReceiverReport{SSRC: p.ssrc}
			b, err = rtcp.AppendCompound(b, &e.rr)
			if err == nil {
				b, err = e.appendSDES(b, p, p.ssrc)
			}
		}
	}
	if err != nil || len(b) == 0 {
		return
	}
	e.emit(p, true, b)
}

func (e *engine) appendSDES(b []byte, p *peer, ssrc uint32) ([]byte, error) {
	e.sdes.Reset()
	e.sdes.AddCNAME(ssrc, p.cname)
	return rtcp.AppendCompound(b, &e.sdes)
}
