package rtp

import "testing"

func TestH264Payload(t *testing.T) {
	cases := []struct {
		name              string
		in                []byte
		typ               uint8
		idr, sps, pps, kf bool
		count             int
	}{
		{"single slice", []byte{0x41, 0x9a, 0x00}, 1, false, false, false, false, 1},
		{"single IDR", []byte{0x65, 0x88, 0x00}, 5, true, false, false, true, 1},
		{"STAP-A SPS PPS IDR", []byte{0x78, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0xce, 0, 2, 0x65, 0x88}, 24, true, true, true, true, 3},
		{"FU-A IDR start", []byte{0x7c, 0x85, 0x88, 0x80}, 28, true, false, false, true, 1},
		{"FU-A IDR middle", []byte{0x7c, 0x05, 0x11}, 28, false, false, false, false, 1},
		{"FU-A non-IDR start", []byte{0x5c, 0x81, 0x9a}, 28, false, false, false, false, 1},
	}
	for _, c := range cases {
		var h H264Payload
		if err := h.Unmarshal(c.in); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if h.Type != c.typ || h.HasIDR != c.idr || h.HasSPS != c.sps || h.HasPPS != c.pps || h.IsKeyframe() != c.kf || h.NALCount != c.count {
			t.Errorf("%s: %+v", c.name, h)
		}
	}
	for name, bad := range map[string][]byte{
		"empty":          {},
		"STAP-A short":   {0x78, 0},
		"STAP-A overrun": {0x78, 0, 5, 0x67},
		"STAP-A zero":    {0x78, 0, 0},
		"STAP-A empty":   {0x78},
		"FU-A no header": {0x7c},
		"FU-A S and E":   {0x7c, 0xc5},
		"STAP-B":         {0x79, 0, 0},
		"reserved 0":     {0x00},
		"reserved 31":    {0x1f},
	} {
		var h H264Payload
		if err := h.Unmarshal(bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
