package rtp

import (
	"fmt"
	"time"
)

// AbsSendTime is the abs-send-time extension value
// (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): 24 bits,
// seconds in 6.18 fixed point, the middle 24 bits of the 64-bit NTP
// timestamp, wrapping every 64 s.
type AbsSendTime uint32

// AbsSendTimeFromNTP takes the middle 24 bits of a 64-bit NTP timestamp
// (RFC 3550 §4).
func AbsSendTimeFromNTP(ntp uint64) AbsSendTime { return AbsSendTime(ntp>>14) & 0xffffff }

// AbsSendTimeFromDuration encodes d (time since any epoch) modulo 64 s.
// d is reduced first: d·2^18 overflows 64 bits from about 19.5 hours on,
// and a negative d counts back from the epoch.
func AbsSendTimeFromDuration(d time.Duration) AbsSendTime {
	const period = 64 * time.Second
	d %= period
	if d < 0 {
		d += period
	}
	return AbsSendTime(uint64(d)<<18/uint64(time.Second)) & 0xffffff
}

// Duration returns the value as a duration in [0, 64 s).
func (a AbsSendTime) Duration() time.Duration {
	return time.Duration(uint64(a&0xffffff) * uint64(time.Second) >> 18)
}

// Unmarshal parses the 3-byte value.
func (a *AbsSendTime) Unmarshal(v []byte) error {
	if len(v) < 3 {
		return fmt.Errorf("rtp: abs-send-time value %d bytes, want 3", len(v))
	}
	*a = AbsSendTime(v[0])<<16 | AbsSendTime(v[1])<<8 | AbsSendTime(v[2])
	return nil
}

// MarshalSize is 3.
func (a AbsSendTime) MarshalSize() int { return 3 }

// MarshalTo writes the 3-byte value.
func (a AbsSendTime) MarshalTo(buf []byte) (int, error) {
	if len(buf) < 3 {
		return 0, fmt.Errorf("rtp: buffer length %d, abs-send-time needs 3", len(buf))
	}
	buf[0], buf[1], buf[2] = byte(a>>16), byte(a>>8), byte(a)
	return 3, nil
}
