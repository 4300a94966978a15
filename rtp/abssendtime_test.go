package rtp

import (
	"testing"
	"time"
)

// abs-send-time is 6.18 fixed-point seconds modulo 64 s; a duration of many
// hours (time since process start, or since 1970) must give the same value
// as its remainder: before, d·2^18 overflowed 64 bits after about 19.5 h.
func TestAbsSendTimeFromLongDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want AbsSendTime
	}{
		{time.Second, 1 << 18},
		{1125*64*time.Second + time.Second, 1 << 18}, // 20 h + 1 s
		{time.Duration(1764000000)*time.Second + 500*time.Millisecond, AbsSendTime((1764000000%64)<<18 | 1<<17)},
		{-time.Second, 63 << 18},
	} {
		if got := AbsSendTimeFromDuration(c.d); got != c.want {
			t.Errorf("AbsSendTimeFromDuration(%v) = %#x, want %#x", c.d, uint32(got), uint32(c.want))
		}
	}
}
