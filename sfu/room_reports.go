package sfu

import (
	"math/rand/v2"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// tick sends the periodic RTCP reports that are due: receiver reports to
// publishers (one block per track), sender reports to subscribers (one per
// outgoing stream), each with an SDES CNAME (RFC 3550 §6.1, §6.4). The
// interval is randomised in [0.5, 1.5] s (RFC 3550 §6.3.1, with a fixed
// 1 s base since the bandwidth share of a few streams is small).
func (r *room) tick(now time.Time) {
	r.reportLevels(now)
	for _, p := range r.peers {
		if p.closed || !p.ready || now.Before(p.nextReport) {
			continue
		}
		p.nextReport = now.Add(500*time.Millisecond + rand.N(time.Second))
		r.report(p, now)
	}
}

func (r *room) report(p *peer, now time.Time) {
	b := r.scratch[:0]
	var err error
	switch p.kind {
	case KindWHIP:
		r.reports = r.reports[:0]
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
			r.reports = append(r.reports, rr)
		}
		// More than 31 blocks need more RR packets (RFC 3550 §6.1).
		b, err = rtcp.AppendReceiverReports(b, p.ssrc, r.reports)
		if err == nil {
			b, err = r.appendSDES(b, p, p.ssrc)
		}
	case KindWHEP:
		ntp := rtcp.NTPTime(now)
		sent := false
		for _, d := range p.downs {
			if d.packets == 0 || !d.rw.started {
				continue
			}
			r.sr = rtcp.SenderReport{SSRC: d.ssrc, NTPTime: ntp, RTPTime: d.rtpTimeAt(now), PacketCount: d.packets, OctetCount: d.octets}
			if b, err = rtcp.AppendCompound(b, &r.sr); err != nil {
				break
			}
			if b, err = r.appendSDES(b, p, d.ssrc); err != nil {
				break
			}
			sent = true
		}
		if !sent {
			r.rr = rtcp.ReceiverReport{SSRC: p.ssrc}
			b, err = rtcp.AppendCompound(b, &r.rr)
			if err == nil {
				b, err = r.appendSDES(b, p, p.ssrc)
			}
		}
	}
	if err != nil || len(b) == 0 {
		return
	}
	r.emit(p, true, b)
}

func (r *room) appendSDES(b []byte, p *peer, ssrc uint32) ([]byte, error) {
	r.sdes.Reset()
	r.sdes.AddCNAME(ssrc, p.cname)
	return rtcp.AppendCompound(b, &r.sdes)
}

// rtpTimeAt is the RTP timestamp of this stream that corresponds to the
// wall-clock time now, for a sender report (RFC 3550 §6.4.1). When the
// source's publisher has sent a sender report, its NTP↔RTP mapping is
// carried on through the stream's timestamp offset: the publisher's RTP
// time at now is its SR's RTP time plus the time since the SR arrived, so
// the audio and video streams of one publisher keep the relation the
// publisher gave them and the subscriber's browser keeps them in lip sync.
// Before any SR, the newest forwarded timestamp advanced by the time since
// it arrived (reordered packets never move it back).
func (d *downTrack) rtpTimeAt(now time.Time) uint32 {
	clock := d.codec.Clock
	if t := d.track; t != nil && !t.lastSRAt.IsZero() && t.ssrc == d.rw.src {
		return t.srRTP + uint32(rtpTicks(now.Sub(t.lastSRAt), clock)) + d.rw.tsOffset
	}
	return d.rw.lastOutTS + uint32(rtpTicks(now.Sub(d.rw.lastAt), clock))
}

// handleSent takes the packets p's sender worker reports sent since the
// last call (the room's "packet sent" input): they are what our sender
// reports count (RFC 3550 §6.4.1 counts packets and payload octets sent)
// and the send times bandwidth estimation will use.
func (r *room) handleSent(p *peer, rec *sentRecord) {
	d := p.downBySSRC[rec.ssrc]
	if d == nil {
		return
	}
	d.packets++
	d.octets += uint32(rec.payload)
	d.lastSent = rec.at
}
