package rtp

import (
	"testing"
	"time"
)

func TestOpusTOC(t *testing.T) {
	cases := []struct {
		in     []byte
		mode   OpusMode
		bw     OpusBandwidth
		frames int
		dur    time.Duration
		stereo bool
	}{
		{[]byte{0x78, 1, 2}, OpusHybrid, OpusFullband, 1, 20 * time.Millisecond, false}, // config 15
		{[]byte{0xfc, 0xff}, OpusCELT, OpusFullband, 1, 20 * time.Millisecond, true},    // config 31, s=1
		{[]byte{0x4b, 0x83, 0, 0}, OpusSILK, OpusWideband, 3, 60 * time.Millisecond, false},
		{[]byte{0x09, 1, 2}, OpusSILK, OpusNarrowband, 2, 40 * time.Millisecond, false},
		{[]byte{0x62, 1, 2, 3}, OpusHybrid, OpusSuperWideband, 2, 20 * time.Millisecond, false},
	}
	for _, c := range cases {
		var o OpusTOC
		if err := o.Unmarshal(c.in); err != nil {
			t.Errorf("%x: %v", c.in, err)
			continue
		}
		if o.Mode() != c.mode || o.Bandwidth() != c.bw || o.FrameCount != c.frames || o.Duration() != c.dur || o.Stereo != c.stereo {
			t.Errorf("%x: mode %v bw %v frames %d dur %v stereo %v", c.in, o.Mode(), o.Bandwidth(), o.FrameCount, o.Duration(), o.Stereo)
		}
	}
	for _, bad := range [][]byte{{}, {0x09, 1}, {0x0a}, {0x0b}, {0x0b, 0x00}, {0x1b, 0x03}} { // last: 3×60 ms > 120 ms
		var o OpusTOC
		if err := o.Unmarshal(bad); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}
