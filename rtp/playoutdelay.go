package rtp

import (
	"fmt"
	"time"
)

// PlayoutDelay is the playout-delay extension value
// (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay): 3 bytes,
// a 12-bit minimum and a 12-bit maximum delay in units of 10 ms.
type PlayoutDelay struct {
	Min, Max uint16 // 10 ms units, 0–4095
}

// MinDuration and MaxDuration return the delays as durations.
func (p PlayoutDelay) MinDuration() time.Duration {
	return time.Duration(p.Min) * 10 * time.Millisecond
}

// MaxDuration returns the maximum delay as a duration.
func (p PlayoutDelay) MaxDuration() time.Duration {
	return time.Duration(p.Max) * 10 * time.Millisecond
}

// Unmarshal parses the 3-byte value.
func (p *PlayoutDelay) Unmarshal(v []byte) error {
	if len(v) < 3 {
		return fmt.Errorf("rtp: playout-delay value %d bytes, want 3", len(v))
	}
	p.Min = uint16(v[0])<<4 | uint16(v[1])>>4
	p.Max = uint16(v[1]&0x0f)<<8 | uint16(v[2])
	return nil
}

// MarshalSize is 3.
func (p *PlayoutDelay) MarshalSize() int { return 3 }

// MarshalTo writes the 3-byte value.
func (p *PlayoutDelay) MarshalTo(buf []byte) (int, error) {
	if p.Min > 0xfff || p.Max > 0xfff {
		return 0, fmt.Errorf("rtp: playout-delay min %d max %d, want at most 4095", p.Min, p.Max)
	}
	if len(buf) < 3 {
		return 0, fmt.Errorf("rtp: buffer length %d, playout-delay needs 3", len(buf))
	}
	buf[0] = byte(p.Min >> 4)
	buf[1] = byte(p.Min<<4) | byte(p.Max>>8)
	buf[2] = byte(p.Max)
	return 3, nil
}
