package sfu

import "time"

// downTrack is one outgoing stream to a subscriber: an m= section of its
// offer that the SFU answered sendonly with its own SSRC. It is fed by one
// track at a time (attach), and keeps running when that track goes away.
type downTrack struct {
	sub   *peer
	kind  string
	mid   string
	ssrc  uint32
	codec codec // what the subscriber negotiated
	ext   []extmap
	track *track // current source, nil when idle
	// RTX (RFC 4588) when the subscriber negotiated it: retransmissions
	// go on their own SSRC with their own sequence numbers.
	rtxPT   uint8
	rtxSSRC uint32
	rtxSeq  uint16
	gen     uint32 // attach generation: a resend must be rewritten as the original was
	rw      *rewriter

	history      sendHistory // what was sent under which numbers, to answer NACKs
	forwarded    uint64      // packets the room queued for it
	switchesSeen int

	// What its sender worker reports sent (the room's handleSent): the
	// packet and octet counts of our sender reports (RFC 3550 §6.4.1).
	// The RTP time of an SR comes from the source's SR or the rewriter.
	packets, octets uint32
	lastSent        int64 // Unix nanoseconds of the newest packet sent

	nacked     uint64 // packets asked for again
	resent     uint64 // of which resent, as identical packets
	throttled  uint64 // of which resent less than nackResendInterval before
	notCached  uint64 // of which no longer (or never) in the track's cache
	keyframeRq uint64 // PLI/FIR received

	// From the subscriber's reception reports about this stream.
	rtt          time.Duration // last round trip (RFC 3550 §6.4.1), 0 before one
	fractionLost uint8
}

// nackResendInterval is the least time between two retransmissions of one
// packet: a NACK that lists a sequence number many times, or NACKs repeated
// faster than a round trip, resend it once (RFC 4585 §6.2.1 leaves repair
// to the media sender; without this a 1 KB NACK of one number repeated
// could queue megabytes).
const nackResendInterval = 100 * time.Millisecond

// historyLen is how many sent packets a subscriber's stream remembers: as
// many as a video track's cache holds.
const historyLen = videoCachePackets

// sendHistory remembers, for the last historyLen packets sent on a stream,
// which packet of which source went out under which sequence number and
// timestamp — 20 bytes a packet, where keeping the packets themselves per
// subscriber took 1.5 KB. A NACK (RFC 4585 §6.2.1) is answered by taking
// the source packet from the track's shared cache and rewriting it exactly
// as the first time, so the SRTP packet is byte for byte the one already
// sent under that index (RFC 3711 §9.1 forbids different content under one
// index: with AES-GCM that would reuse a nonce).
type sendHistory struct {
	e [historyLen]sentEntry
}

type sentEntry struct {
	ok       bool
	outSeq   uint16
	srcSeq   uint16
	srcSSRC  uint32
	ts       uint32
	gen      uint32
	resentAt time.Time
}

func (h *sendHistory) add(outSeq, srcSeq uint16, srcSSRC, ts, gen uint32) {
	h.e[outSeq%historyLen] = sentEntry{ok: true, outSeq: outSeq, srcSeq: srcSeq, srcSSRC: srcSSRC, ts: ts, gen: gen}
}

func (h *sendHistory) get(outSeq uint16) *sentEntry {
	e := &h.e[outSeq%historyLen]
	if !e.ok || e.outSeq != outSeq {
		return nil
	}
	return e
}

// attach makes t the source of d (nil detaches).
func (d *downTrack) attach(t *track) {
	if d.track != nil {
		d.track.downs = removeDown(d.track.downs, d)
	}
	d.track = t
	d.gen++
	if t == nil {
		return
	}
	t.downs = append(t.downs, d)
	d.rw.attach(t.codec, t.ext)
}

func removeDown(list []*downTrack, d *downTrack) []*downTrack {
	for i, x := range list {
		if x == d {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}
