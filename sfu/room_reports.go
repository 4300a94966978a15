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
	var b []byte
	var err error
	switch p.kind {
	case KindWHIP:
		b, err = r.appendReceiverReports(r.scratch[:0], p, now)
	case KindWHEP:
		b, err = r.appendSenderReports(r.scratch[:0], p, now, true)
	case KindParticipant:
		// A participant both publishes and subscribes: a receiver report
		// for what it sends us and, in a compound of their own, sender
		// reports for what we send it (RFC 3550 §6.4: every participant
		// reports). Before this, participants got no reports at all.
		// One that publishes nothing (a data-only participant) gets none.
		if len(p.tracks) > 0 {
			if b, err = r.appendReceiverReports(r.scratch[:0], p, now); err == nil {
				r.emit(p, true, b)
			}
		}
		b, err = r.appendSenderReports(r.scratch[:0], p, now, false)
	}
	if err != nil || len(b) == 0 {
		return
	}
	r.emit(p, true, b)
}

// appendReceiverReports appends an RR (more when more than 31 blocks, RFC
// 3550 §6.1) with one block per track p publishes, and an SDES CNAME.
func (r *room) appendReceiverReports(b []byte, p *peer, now time.Time) ([]byte, error) {
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
	b, err := rtcp.AppendReceiverReports(b, p.ssrc, r.reports)
	if err != nil {
		return nil, err
	}
	return r.appendSDES(b, p, p.ssrc)
}

// appendSenderReports appends an SR and an SDES CNAME for each stream
// sent to p that has started; with none, an empty RR when orRR (so a
// subscriber still hears from us), else nothing.
func (r *room) appendSenderReports(b []byte, p *peer, now time.Time, orRR bool) ([]byte, error) {
	ntp := rtcp.NTPTime(now)
	sent := false
	var err error
	for _, d := range p.downs {
		if d.packets == 0 || !d.rw.started {
			continue
		}
		r.sr = rtcp.SenderReport{SSRC: d.ssrc, NTPTime: ntp, RTPTime: d.rtpTimeAt(now), PacketCount: d.packets, OctetCount: d.octets}
		if b, err = rtcp.AppendCompound(b, &r.sr); err != nil {
			return nil, err
		}
		if b, err = r.appendSDES(b, p, d.ssrc); err != nil {
			return nil, err
		}
		sent = true
	}
	if !sent && orRR {
		r.rr = rtcp.ReceiverReport{SSRC: p.ssrc}
		if b, err = rtcp.AppendCompound(b, &r.rr); err != nil {
			return nil, err
		}
		return r.appendSDES(b, p, p.ssrc)
	}
	return b, nil
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
