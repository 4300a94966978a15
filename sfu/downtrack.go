package sfu

import "time"

// cacheSize is how many sent packets an outgoing video stream keeps to
// answer NACKs (RFC 4585 §6.2.1) — about a second of 1 Mbit/s video.
const cacheSize = 256

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
	rw    *rewriter

	// Sender statistics for our sender reports (RFC 3550 §6.4.1).
	// The RTP time of an SR comes from the rewriter's lastOutTS/lastAt.
	packets, octets uint32

	cache      *packetCache // video only, allocated on the first packet sent
	nacked     uint64       // packets asked for again
	resent     uint64       // of which found in the cache and resent
	throttled  uint64       // of which resent less than nackResendInterval before
	keyframeRq uint64       // PLI/FIR received

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

// packetCache keeps the last cacheSize packets sent on a stream, as sent
// (rewritten, not yet encrypted), indexed by sequence number. Its slot
// holds the full 16-bit number, so a NACK for a number 256·k away (a wrap
// later, or an old one) finds nothing rather than the wrong packet.
type packetCache struct {
	seq      [cacheSize]uint16
	size     [cacheSize]uint16
	ok       [cacheSize]bool
	resentAt [cacheSize]time.Time
	data     [cacheSize][1500]byte
}

func (c *packetCache) put(seq uint16, pkt []byte) {
	if len(pkt) > 1500 {
		return
	}
	i := int(seq) % cacheSize
	c.seq[i], c.size[i], c.ok[i] = seq, uint16(len(pkt)), true
	c.resentAt[i] = time.Time{}
	copy(c.data[i][:], pkt)
}

func (c *packetCache) get(seq uint16) ([]byte, bool) {
	i := int(seq) % cacheSize
	if !c.ok[i] || c.seq[i] != seq {
		return nil, false
	}
	return c.data[i][:c.size[i]], true
}

// resend returns the packet with sequence number seq for a retransmission
// at now, or false when it is not cached or was resent less than
// nackResendInterval ago (throttled reports which).
func (c *packetCache) resend(seq uint16, now time.Time) (b []byte, throttled, ok bool) {
	b, ok = c.get(seq)
	if !ok {
		return nil, false, false
	}
	i := int(seq) % cacheSize
	if last := c.resentAt[i]; !last.IsZero() && now.Sub(last) < nackResendInterval {
		return nil, true, false
	}
	c.resentAt[i] = now
	return b, false, true
}

// attach makes t the source of d (nil detaches).
func (d *downTrack) attach(t *track) {
	if d.track != nil {
		d.track.downs = removeDown(d.track.downs, d)
	}
	d.track = t
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
