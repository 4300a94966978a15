package sfu

import (
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// noPT marks a payload type the subscriber did not negotiate.
const noPT = 0xff

// rewriter turns a publisher's RTP packets into what one subscriber
// negotiated: its payload type numbers, its extension IDs, the SSRC the SFU
// announced to it, and sequence numbers and timestamps that run on without a
// jump when the source behind this outgoing stream changes (a publisher
// restarting, a new SSRC) — RFC 7667 §3.7 "media-switching mixer" rules.
//
// It works in place on the packet and allocates nothing.
type rewriter struct {
	ssrc   uint32 // outgoing SSRC, announced in the subscriber's answer
	clock  uint32 // RTP clock rate of the codec (Hz)
	ptMap  [128]uint8
	extMap rtp.ExtensionIDMap
	// waitKeyframe gates video after a (re)start until a keyframe, so the
	// subscriber's decoder never starts on a delta frame.
	waitKeyframe bool
	codecName    string
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
	r := &rewriter{ssrc: ssrc, clock: dst.Clock, codecName: strings.ToLower(dst.Name), dst: dst, dstExt: dstExt}
	r.waitKeyframe = kind == "video" && (r.codecName == "vp8" || r.codecName == "vp9" || r.codecName == "h264")
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
	r.extMap = rtp.ExtensionIDMap{}
	if src.sameFormat(r.dst) {
		r.ptMap[src.PT&0x7f] = r.dst.PT
	}
	for _, s := range srcExt {
		for _, d := range r.dstExt {
			if s.URI == d.URI {
				r.extMap[s.ID] = d.ID
			}
		}
	}
}

// rewrite rewrites pkt (parsed into h) in place for this subscriber and
// reports whether to send it. now is the packet's arrival time, used to
// advance the timestamp across a source switch.
func (r *rewriter) rewrite(pkt []byte, h *rtp.Header, payload []byte, now time.Time) bool {
	pt := r.ptMap[h.PayloadType&0x7f]
	if pt == noPT {
		r.dropped++
		return false
	}
	if !r.started || h.SSRC != r.src {
		if r.started && h.SSRC == r.prevSrc {
			r.dropped++ // a late packet of the source we switched away from
			return false
		}
		if r.waitKeyframe && !r.isKeyframe(payload) {
			r.dropped++
			r.needKeyframe = true
			return false
		}
		r.switchTo(h, now)
	} else if r.unwrap.Unwrap(h.SequenceNumber) < r.firstSeq {
		r.dropped++ // older than the first packet we took from this source
		return false
	}
	seq := h.SequenceNumber + r.seqOffset
	ts := h.Timestamp + r.tsOffset
	if int16(seq-r.lastOutSeq) > 0 {
		r.lastOutSeq = seq
		r.lastOutTS = ts
		r.lastAt = now
	}
	if err := rtp.RemapExtensionIDsInPlace(pkt, h, &r.extMap); err != nil {
		r.dropped++
		return false
	}
	_ = rtp.RewriteFixedHeader(pkt, pt, seq, ts, r.ssrc)
	return true
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

func (r *rewriter) isKeyframe(payload []byte) bool {
	switch r.codecName {
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
