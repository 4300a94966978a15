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
	// pidSpan is how far the VP8 picture ID advances per loop, so that it
	// goes on by one per frame across loops (RFC 7741 §4.2).
	pidSpan uint16
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
	var firstPID, lastPID uint16
	havePID := false
	for _, p := range src.packets {
		if pid, w := readPictureID(p.payload); p.video && w != 0 {
			if !havePID {
				firstPID, havePID = pid, true
			}
			lastPID = pid
		}
	}
	src.pidSpan = lastPID - firstPID + 1
	src.period = src.packets[len(src.packets)-1].at + 20*time.Millisecond
	src.span = [2]uint32{last[0] + 960, last[1] + 3000} // a 20 ms Opus frame, a 30 fps VP8 frame
	return src, nil
}

// vp8PictureID finds the picture ID of a VP8 payload descriptor (RFC 7741
// §4.2): its offset and width (7 or 15 bits); width 0 when absent.
func vp8PictureID(p []byte) (off, width int) {
	if len(p) < 3 || p[0]&0x80 == 0 || p[1]&0x80 == 0 {
		return 0, 0
	}
	if p[2]&0x80 != 0 {
		if len(p) < 4 {
			return 0, 0
		}
		return 2, 15
	}
	return 2, 7
}

func readPictureID(p []byte) (pid uint16, width int) {
	off, width := vp8PictureID(p)
	switch width {
	case 15:
		return uint16(p[off]&0x7f)<<8 | uint16(p[off+1]), 15
	case 7:
		return uint16(p[off] & 0x7f), 7
	}
	return 0, 0
}

// writePictureID sets the picture ID of p's descriptor in place.
func writePictureID(p []byte, pid uint16) {
	off, width := vp8PictureID(p)
	switch width {
	case 15:
		p[off], p[off+1] = 0x80|byte(pid>>8)&0x7f, byte(pid)
	case 7:
		p[off] = byte(pid) & 0x7f
	}
}
