package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// mediaSource is the synthetic participant's media: the Opus and VP8 RTP
// a real browser sent in a corpus session (decrypted with the session's
// keys; captured bytes are data), replayed in a loop with the
// participant's own SSRCs, sequence numbers and timestamps, at the pace
// they were captured. The VP8 stream starts with a keyframe, so a browser
// decodes it.
type mediaSource struct {
	session string
	packets []sourcePacket
	period  time.Duration // one loop: the last packet's offset plus a frame
	span    [2]uint32     // RTP timestamp advance per loop: audio, video
}

type sourcePacket struct {
	at      time.Duration // after the first packet
	video   bool
	marker  bool
	tsDelta uint32 // timestamp minus the stream's first one
	payload []byte
}

// seedSession is the corpus folder the media comes from, and its payload
// types (meta.json "payload_types").
const (
	seedSession = "chromium-156-av-dc"
	seedOpusPT  = 111
	seedVP8PT   = 96
)

func loadMediaSource() (*mediaSource, error) {
	s, err := conformance.Load(filepath.Join(conformance.CorpusDir(), seedSession))
	if err != nil {
		return nil, fmt.Errorf("media source: %w", err)
	}
	var rx *srtp.Context
	src := &mediaSource{session: seedSession}
	var t0 time.Time
	first := map[bool]uint32{}
	seen := map[bool]bool{}
	var last [2]uint32
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) != demux.RTP || !s.FromBrowser(d) {
			continue
		}
		if rx == nil {
			key, salt := s.SRTPKeys(d)
			if rx, err = srtp.NewContext(srtp.Profile(s.SRTPProfile), key, salt); err != nil {
				return nil, err
			}
		}
		plain, err := rx.DecryptRTP(append([]byte(nil), d.Payload...))
		if err != nil {
			continue
		}
		var p rtp.Packet
		if p.Unmarshal(plain) != nil || (p.Header.PayloadType != seedOpusPT && p.Header.PayloadType != seedVP8PT) || len(p.Payload) == 0 {
			continue
		}
		video := p.Header.PayloadType == seedVP8PT
		if !seen[video] {
			if key, err := rtp.VP8IsKeyframe(p.Payload); video && (err != nil || !key) {
				continue // start the video at a keyframe
			}
			seen[video], first[video] = true, p.Header.Timestamp
		}
		if t0.IsZero() {
			t0 = d.Time
		}
		delta := p.Header.Timestamp - first[video]
		i := 0
		if video {
			i = 1
		}
		last[i] = delta
		src.packets = append(src.packets, sourcePacket{at: d.Time.Sub(t0), video: video, marker: p.Header.Marker,
			tsDelta: delta, payload: append([]byte(nil), p.Payload...)})
	}
	if len(src.packets) < 100 || !seen[true] || !seen[false] {
		return nil, fmt.Errorf("media source %s: %d Opus/VP8 packets, want 100 with both kinds", seedSession, len(src.packets))
	}
	src.period = src.packets[len(src.packets)-1].at + 20*time.Millisecond
	src.span = [2]uint32{last[0] + 960, last[1] + 3000} // a 20 ms Opus frame, a 30 fps VP8 frame
	return src, nil
}
