package rtp

import (
	"fmt"
	"time"
)

// OpusMode is the coding mode of an Opus configuration (RFC 6716 §3.1).
type OpusMode uint8

// Opus modes.
const (
	OpusSILK OpusMode = iota
	OpusHybrid
	OpusCELT
)

// OpusBandwidth is the audio bandwidth of an Opus configuration.
type OpusBandwidth uint8

// Opus bandwidths (RFC 6716 §2, Table 1).
const (
	OpusNarrowband    OpusBandwidth = iota // 4 kHz
	OpusMediumband                         // 6 kHz
	OpusWideband                           // 8 kHz
	OpusSuperWideband                      // 12 kHz
	OpusFullband                           // 20 kHz
)

// OpusTOC is the table-of-contents byte of an Opus packet, plus the frame
// count byte of code 3 packets (RFC 6716 §3.1, §3.2.5).
type OpusTOC struct {
	Config     uint8 // 0–31, RFC 6716 Table 2
	Stereo     bool  // s
	Code       uint8 // c: frames in the packet, 0–3
	FrameCount int   // frames in the packet
	VBR        bool  // code 3 v bit
	Padded     bool  // code 3 p bit
}

// Unmarshal parses the TOC (and, for code 3, the frame count byte) of an
// Opus RTP payload (RFC 7587 §4.2 carries one Opus packet per RTP packet)
// and checks the framing rules R1–R5 that need no length decoding
// (RFC 6716 §3.4).
func (o *OpusTOC) Unmarshal(payload []byte) error {
	if len(payload) < 1 {
		return fmt.Errorf("rtp: Opus packet empty, want a TOC byte (RFC 6716 §3.4 R1)")
	}
	t := payload[0]
	*o = OpusTOC{Config: t >> 3, Stereo: t&0x04 != 0, Code: t & 0x03}
	switch o.Code {
	case 0:
		o.FrameCount = 1
	case 1:
		if (len(payload)-1)%2 != 0 {
			return fmt.Errorf("rtp: Opus code 1 packet has %d bytes after the TOC, want an even count (RFC 6716 §3.4 R3)", len(payload)-1)
		}
		o.FrameCount = 2
	case 2:
		if len(payload) < 2 {
			return fmt.Errorf("rtp: Opus code 2 packet of 1 byte, want a frame length (RFC 6716 §3.4 R4)")
		}
		o.FrameCount = 2
	case 3:
		if len(payload) < 2 {
			return fmt.Errorf("rtp: Opus code 3 packet of 1 byte, want a frame count byte (RFC 6716 §3.4 R5)")
		}
		o.VBR = payload[1]&0x80 != 0
		o.Padded = payload[1]&0x40 != 0
		o.FrameCount = int(payload[1] & 0x3f)
		if o.FrameCount == 0 {
			return fmt.Errorf("rtp: Opus code 3 packet with 0 frames (RFC 6716 §3.4 R5)")
		}
		if d := time.Duration(o.FrameCount) * o.FrameDuration(); d > 120*time.Millisecond {
			return fmt.Errorf("rtp: Opus code 3 packet of %d frames lasts %v, want at most 120ms (RFC 6716 §3.4 R5)", o.FrameCount, d)
		}
	}
	return nil
}

// Mode returns the configuration's coding mode (RFC 6716 Table 2).
func (o *OpusTOC) Mode() OpusMode {
	switch {
	case o.Config < 12:
		return OpusSILK
	case o.Config < 16:
		return OpusHybrid
	}
	return OpusCELT
}

// Bandwidth returns the configuration's audio bandwidth (RFC 6716 Table 2).
func (o *OpusTOC) Bandwidth() OpusBandwidth {
	c := o.Config
	switch {
	case c < 12:
		return OpusBandwidth(c / 4) // NB, MB, WB
	case c < 16:
		return OpusSuperWideband + OpusBandwidth((c-12)/2)
	case c < 20:
		return OpusNarrowband
	}
	return OpusWideband + OpusBandwidth((c-20)/4) // WB, SWB, FB
}

// FrameDuration returns the duration of one frame (RFC 6716 Table 2).
func (o *OpusTOC) FrameDuration() time.Duration {
	c := o.Config
	switch {
	case c < 12:
		return [4]time.Duration{10, 20, 40, 60}[c%4] * time.Millisecond
	case c < 16:
		return [2]time.Duration{10, 20}[c%2] * time.Millisecond
	}
	return [4]time.Duration{2500, 5000, 10000, 20000}[c%4] * time.Microsecond
}

// Duration returns the audio duration of the packet.
func (o *OpusTOC) Duration() time.Duration { return time.Duration(o.FrameCount) * o.FrameDuration() }
