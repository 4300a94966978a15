package rtp

import "fmt"

// VideoOrientation is the Coordination of Video Orientation extension value
// (urn:3gpp:video-orientation, 3GPP TS 26.114 §7.4.5): one byte
// 0 0 0 0 C F R1 R0. Bits above are kept for lossless marshalling.
type VideoOrientation struct {
	Camera   bool   // C: 1 back-facing camera, 0 front-facing or unknown
	Flip     bool   // F: horizontal flip
	Rotation uint16 // R1R0 as clockwise degrees: 0, 90, 180, 270
	Reserved uint8  // the four high bits, normally 0
}

// Unmarshal parses the value's first byte.
func (o *VideoOrientation) Unmarshal(v []byte) error {
	if len(v) < 1 {
		return fmt.Errorf("rtp: video-orientation value %d bytes, want 1 (3GPP TS 26.114 §7.4.5)", len(v))
	}
	o.Reserved = v[0] >> 4
	o.Camera = v[0]&0x08 != 0
	o.Flip = v[0]&0x04 != 0
	o.Rotation = uint16(v[0]&0x03) * 90
	return nil
}

// MarshalSize is 1.
func (o *VideoOrientation) MarshalSize() int { return 1 }

// MarshalTo writes the 1-byte value.
func (o *VideoOrientation) MarshalTo(buf []byte) (int, error) {
	if o.Rotation%90 != 0 || o.Rotation >= 360 || o.Reserved > 15 {
		return 0, fmt.Errorf("rtp: video-orientation rotation %d, want 0, 90, 180 or 270 (3GPP TS 26.114 §7.4.5)", o.Rotation)
	}
	if len(buf) < 1 {
		return 0, fmt.Errorf("rtp: buffer length %d, video-orientation needs 1", len(buf))
	}
	b := o.Reserved<<4 | uint8(o.Rotation/90)
	if o.Camera {
		b |= 0x08
	}
	if o.Flip {
		b |= 0x04
	}
	buf[0] = b
	return 1, nil
}
