package sfu

import "github.com/plainrtc/plainrtc/rtcp"

// maxNACKGap is the largest gap in a publisher's sequence numbers the room
// asks to have repaired; a larger jump is a restart or a long outage,
// better served by a keyframe than by retransmissions.
const maxNACKGap = 64

// nackUpstream asks the publisher of t, with a Generic NACK (RFC 4585
// §6.2.1), for the packets a gap before seq shows it lost on the way to
// the SFU, so every subscriber gets them (the publisher retransmits on
// the same SSRC: its answer has no RTX). Only video tracks whose
// publisher negotiated "nack" feedback; each gap is asked for once.
func (r *room) nackUpstream(t *track, seq uint16) {
	if !t.nackable || t.ssrc == 0 {
		return
	}
	if !t.seqSeen {
		t.seqSeen, t.highSeq = true, seq
		return
	}
	gap := int16(seq - t.highSeq)
	if gap <= 0 {
		return // a retransmission or a reordered packet
	}
	prev := t.highSeq
	t.highSeq = seq
	if gap == 1 || gap > maxNACKGap {
		return
	}
	r.lost = r.lost[:0]
	for s := prev + 1; s != seq; s++ {
		r.lost = append(r.lost, s)
	}
	r.nack = rtcp.NACK{SenderSSRC: t.pub.ssrc, MediaSSRC: t.ssrc, Pairs: rtcp.AppendNACKPairs(r.nack.Pairs[:0], r.lost)}
	var b []byte
	var err error
	if t.pub.rsize {
		b, err = rtcp.AppendCompound(r.scratch[:0], &r.nack)
	} else {
		// A feedback message rides in a compound that starts with a report
		// unless reduced-size RTCP was negotiated (RFC 3550 §6.1, RFC 5506 §3).
		r.rr = rtcp.ReceiverReport{SSRC: t.pub.ssrc}
		b, err = rtcp.AppendCompound(r.scratch[:0], &r.rr, &r.nack)
	}
	if err != nil {
		return
	}
	t.nacksSent++
	r.emit(t.pub, true, b)
}
