package sfu

import (
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// keyframeInterval is the least time between two keyframe requests (PLI)
// the SFU sends a publisher for one track, however many subscribers ask:
// RFC 4585 §3.5 leaves the rate to the sender; 500 ms keeps a burst of
// joins or losses from making the encoder send nothing but keyframes.
const keyframeInterval = 500 * time.Millisecond

// track is one media source a publisher sends: an m= section of its offer,
// identified on the wire by its SSRC (a=ssrc) or its MID header extension.
type track struct {
	id        string // "<peer id>/<mid>"
	pub       *peer
	kind      string // audio or video
	mid       string
	codec     codec    // negotiated with the publisher
	ext       []extmap // the publisher's extension IDs
	codecName string   // codec.Name in lower case, for keyframe detection
	ssrc      uint32   // media SSRC, 0 until learned
	rtx       uint32   // RTX SSRC from a=ssrc-group:FID, not forwarded
	downs     []*downTrack
	cache     *trackCache // the packets its subscribers may NACK, shared by them
	ended     bool        // unpublished, or its publisher left

	// Upstream loss repair (RFC 4585 §6.2.1): the highest sequence number
	// seen, and the NACKs sent to the publisher for gaps.
	nackable  bool
	seqSeen   bool
	highSeq   uint16
	nacksSent uint64

	// RFC 6464 audio level: the publisher's extension ID, and the level
	// smoothed for the room's speaker detection (room_levels.go).
	levelExtID uint8
	loudness   float64

	// Reception statistics for our receiver reports (RFC 3550 §6.4.1, A.1, A.8).
	src      rtp.Source
	jitter   rtp.Jitter
	packets  uint64
	bytes    uint64
	lastSR   uint32    // middle 32 bits of the NTP time of the last SR
	lastSRAt time.Time // when it arrived
	srRTP    uint32    // the RTP timestamp of the last SR: with lastSRAt, the publisher's
	// NTP↔RTP mapping, which subscribers' sender reports carry on (lip sync)
	lastPLI   time.Time
	plis      uint64 // keyframe requests sent to the publisher
	throttled uint64 // keyframe requests not sent because of keyframeInterval
}
