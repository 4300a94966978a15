package sfu

import (
	"errors"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

var errRTXRoom = errors.New("sfu: no room for the RTX OSN")

// noPT marks a payload type the subscriber did not negotiate.
const noPT = 0xff

// rewriter decides what a publisher's RTP packets become for one
// subscriber: its payload type numbers, its extension IDs, the SSRC the SFU
// announced to it, and sequence numbers and timestamps that run on without a
// jump when the source behind this outgoing stream changes (a publisher
// restarting, a new SSRC) — RFC 7667 §3.7 "media-switching mixer" rules.
//
// The room owns it and calls decide once per packet; the bytes are changed
// later by the subscriber's sender worker (rewrite.apply), on its own copy.
// Neither allocates.
type rewriter struct {
	ssrc   uint32 // outgoing SSRC, announced in the subscriber's answer
	clock  uint32 // RTP clock rate of the codec (Hz)
	ptMap  [128]uint8
	extMap *rtp.ExtensionIDMap // replaced, never changed, on attach: workers read it
	// waitKeyframe gates video after a (re)start until a keyframe, so the
	// subscriber's decoder never starts on a delta frame.
	waitKeyframe bool
	dst          codec
	dstExt       []extmap

	started      bool
	src          uint32 // current source SSRC
	prevSrc      uint32 // the one before the last switch; its late packets are dropped
	firstSeq     int64  // first forwarded sequence number of the current source, unwrapped
	unwrap       rtp.SequenceUnwrapper
	seqOffset    uint16
	tsOffset     uint32
	lastOutSeq   uint16
	lastOutTS    uint32
	lastAt       time.Time // arrival of the packet that set lastOutTS
	switches     int
	dropped      uint64 // packets not forwarded (PT not negotiated, stale source, waiting for a keyframe)
	needKeyframe bool   // a keyframe was waited for and not yet seen (the caller asks the publisher for one)
}

// newRewriter makes the rewriter of an outgoing stream with SSRC ssrc that
// carries codec dst with the subscriber's extension IDs dstExt. It forwards
// nothing until attach gives it a source.
func newRewriter(ssrc uint32, dst codec, kind string, dstExt []extmap) *rewriter {
	name := strings.ToLower(dst.Name)
	r := &rewriter{ssrc: ssrc, clock: dst.Clock, dst: dst, dstExt: dstExt, extMap: new(rtp.ExtensionIDMap)}
	r.waitKeyframe = kind == "video" && (name == "vp8" || name == "vp9" || name == "h264")
	for i := range r.ptMap {
		r.ptMap[i] = noPT
	}
	return r
}

// attach maps a (new) source track's payload type and extension IDs onto
// the subscriber's. Numbering stays continuous: the next packet from the
// new source's SSRC goes through switchTo.
func (r *rewriter) attach(src codec, srcExt []extmap) {
	for i := range r.ptMap {
		r.ptMap[i] = noPT
	}
	m := new(rtp.ExtensionIDMap)
	if src.sameFormat(r.dst) {
		r.ptMap[src.PT&0x7f] = r.dst.PT
	}
	for _, s := range srcExt {
		if s.URI == rtp.URIMid {
			// The publisher's MID names its own m= section; forwarded, it
			// would point the subscriber's BUNDLE demux (RFC 9143 §9.2)
			// at the wrong one.
			continue
		}
		for _, d := range r.dstExt {
			if s.URI == d.URI {
				m[s.ID] = d.ID
			}
		}
	}
	r.extMap = m
}

// rewrite is what one packet becomes for one subscriber, decided by the
// room (rewriter.decide) and applied by the subscriber's sender worker.
type rewrite struct {
	ext  *rtp.ExtensionIDMap
	rtx  *rtxRewrite // a retransmission in RFC 4588 form, nil otherwise
	ts   uint32
	ssrc uint32
	seq  uint16
	pt   uint8
}

// rtxRewrite turns a rewritten packet into its RTX packet (RFC 4588 §4):
// its own SSRC, sequence number and payload type, the original sequence
// number (OSN) before the payload. Allocated per retransmission only.
type rtxRewrite struct {
	ssrc uint32
	seq  uint16
	pt   uint8
}

// decide says whether the packet h (payload, keyframe as the room parsed
// it) goes to this subscriber and, if so, under which numbers. now is the
// packet's arrival time, used to advance the timestamp across a source
// switch.
func (r *rewriter) decide(h *rtp.Header, keyframe bool, now time.Time) (rewrite, bool) {
	pt := r.ptMap[h.PayloadType&0x7f]
	if pt == noPT {
		r.dropped++
		return rewrite{}, false
	}
	if !r.started || h.SSRC != r.src {
		if r.started && h.SSRC == r.prevSrc {
			r.dropped++ // a late packet of the source we switched away from
			return rewrite{}, false
		}
		if r.waitKeyframe && !keyframe {
			r.dropped++
			r.needKeyframe = true
			return rewrite{}, false
		}
		r.switchTo(h, now)
	} else if r.unwrap.Unwrap(h.SequenceNumber) < r.firstSeq {
		r.dropped++ // older than the first packet we took from this source
		return rewrite{}, false
	}
	seq := h.SequenceNumber + r.seqOffset
	ts := h.Timestamp + r.tsOffset
	if int16(seq-r.lastOutSeq) > 0 {
		r.lastOutSeq = seq
		r.lastOutTS = ts
		r.lastAt = now
	}
	return rewrite{ext: r.extMap, ts: ts, ssrc: r.ssrc, seq: seq, pt: pt}, true
}

// apply rewrites pkt, a copy of the publisher's packet, in place: extension
// IDs first (the packet length never changes, RFC 8285 §4.1 padding), then
// the fixed header. It returns the header's length.
func (w rewrite) apply(pkt []byte) (int, error) {
	var h rtp.Header
	n, err := h.Unmarshal(pkt)
	if err != nil {
		return 0, err
	}
	if err := rtp.RemapExtensionIDsInPlace(pkt, &h, w.ext); err != nil {
		return 0, err
	}
	return n, rtp.RewriteFixedHeader(pkt, w.pt, w.seq, w.ts, w.ssrc)
}

// applyRTX makes pkt[:n], a packet already rewritten by apply with header
// length hdr, into its RTX packet in place: the payload moves two bytes
// to make room for the OSN (RFC 4588 §4). pkt must have room for two more
// bytes; it returns the longer packet.
func (x *rtxRewrite) apply(pkt []byte, n, hdr int, w rewrite) ([]byte, error) {
	if cap(pkt) < n+2 {
		return nil, errRTXRoom
	}
	pkt = pkt[:n+2]
	copy(pkt[hdr+2:], pkt[hdr:n])
	pkt[hdr], pkt[hdr+1] = byte(w.seq>>8), byte(w.seq)
	return pkt, rtp.RewriteFixedHeader(pkt, x.pt, x.seq, w.ts, x.ssrc)
}

// switchTo makes h's SSRC the current source, choosing offsets so its first
// packet follows the last one sent: sequence number +1, timestamp advanced
// by the wall-clock time since (at least 1 tick).
func (r *rewriter) switchTo(h *rtp.Header, now time.Time) {
	r.needKeyframe = false
	if !r.started {
		r.started = true
		r.src = h.SSRC
		r.unwrap = rtp.SequenceUnwrapper{}
		r.firstSeq = r.unwrap.Unwrap(h.SequenceNumber)
		// Keep the publisher's numbering at first: offsets 0 are as good
		// as any, and make captures easy to follow.
		r.seqOffset, r.tsOffset = 0, 0
		r.lastOutSeq = h.SequenceNumber - 1
		r.lastOutTS = h.Timestamp
		r.lastAt = now
		return
	}
	r.switches++
	r.prevSrc, r.src = r.src, h.SSRC
	r.unwrap = rtp.SequenceUnwrapper{}
	r.firstSeq = r.unwrap.Unwrap(h.SequenceNumber)
	r.seqOffset = r.lastOutSeq + 1 - h.SequenceNumber
	ticks := uint32(rtpTicks(now.Sub(r.lastAt), r.clock))
	if ticks == 0 {
		ticks = 1
	}
	r.tsOffset = r.lastOutTS + ticks - h.Timestamp
}

// isKeyframe reports whether an RTP payload of codec name (lower case)
// starts a keyframe a decoder can start on.
func isKeyframe(name string, payload []byte) bool {
	switch name {
	case "vp8":
		k, err := rtp.VP8IsKeyframe(payload)
		return err == nil && k
	case "vp9":
		var d rtp.VP9Descriptor
		if _, err := d.Unmarshal(payload); err != nil {
			return false
		}
		return d.IsKeyframe()
	case "h264":
		// SPS or the start of an IDR slice (RFC 6184 §5.2-§5.8).
		var p rtp.H264Payload
		return p.Unmarshal(payload) == nil && p.IsKeyframe()
	}
	return true
}
