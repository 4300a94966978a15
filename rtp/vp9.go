package rtp

import (
	"encoding/binary"
	"fmt"
)

// VP9Descriptor is the VP9 payload descriptor (RFC 9628 §4.2). The
// scalability structure is kept as raw bytes (SS) and decoded by
// ScalabilityStructure, so MarshalTo gives back the parsed bytes.
type VP9Descriptor struct {
	HasPictureID    bool // I
	InterPredicted  bool // P: inter-picture predicted
	HasLayerIndices bool // L
	Flexible        bool // F: flexible mode
	StartOfFrame    bool // B
	EndOfFrame      bool // E
	HasSS           bool // V: scalability structure present
	NotRefUpper     bool // Z: not a reference for upper spatial layers

	PictureIDLong bool   // M
	PictureID     uint16 // 7 or 15 bits

	TID           uint8 // temporal layer, 0–7
	SwitchingUp   bool  // U
	SID           uint8 // spatial layer, 0–7
	InterLayerDep bool  // D
	TL0PICIDX     uint8 // non-flexible mode with L
	PDiffCount    int   // number of P_DIFF entries, flexible mode with P
	PDiff         [3]uint8
	// Offsets of the picture ID and TL0PICIDX inside the payload, for
	// rewriting in place (valid when the fields are present).
	PictureIDOffset, TL0PICIDXOffset int

	SS []byte // the scalability structure, referencing the payload
}

// Unmarshal parses the descriptor at the start of a VP9 RTP payload and
// returns its length (RFC 9628 §4.2).
func (d *VP9Descriptor) Unmarshal(payload []byte) (n int, err error) {
	if len(payload) < 1 {
		return 0, fmt.Errorf("rtp: VP9 payload empty, want a payload descriptor (RFC 9628 §4.2)")
	}
	b := payload[0]
	*d = VP9Descriptor{
		HasPictureID:    b&0x80 != 0,
		InterPredicted:  b&0x40 != 0,
		HasLayerIndices: b&0x20 != 0,
		Flexible:        b&0x10 != 0,
		StartOfFrame:    b&0x08 != 0,
		EndOfFrame:      b&0x04 != 0,
		HasSS:           b&0x02 != 0,
		NotRefUpper:     b&0x01 != 0,
	}
	n = 1
	if d.HasPictureID {
		d.PictureIDOffset = n
		if d.PictureID, d.PictureIDLong, n, err = readPictureID(payload, n, "VP9", "RFC 9628 §4.2"); err != nil {
			return 0, err
		}
	}
	if d.HasLayerIndices {
		if len(payload) < n+1 {
			return 0, fmt.Errorf("rtp: VP9 descriptor L bit set but length %d, want %d (RFC 9628 §4.2)", len(payload), n+1)
		}
		l := payload[n]
		d.TID = l >> 5
		d.SwitchingUp = l&0x10 != 0
		d.SID = (l >> 1) & 0x07
		d.InterLayerDep = l&0x01 != 0
		n++
		if !d.Flexible {
			if len(payload) < n+1 {
				return 0, fmt.Errorf("rtp: VP9 non-flexible descriptor needs TL0PICIDX at %d, length %d (RFC 9628 §4.2)", n, len(payload))
			}
			d.TL0PICIDX = payload[n]
			d.TL0PICIDXOffset = n
			n++
		}
	}
	if d.Flexible && d.InterPredicted {
		for {
			if len(payload) < n+1 {
				return 0, fmt.Errorf("rtp: VP9 flexible descriptor needs P_DIFF at %d, length %d (RFC 9628 §4.2)", n, len(payload))
			}
			if d.PDiffCount == 3 {
				return 0, fmt.Errorf("rtp: VP9 descriptor has more than 3 P_DIFF entries (RFC 9628 §4.2)")
			}
			p := payload[n]
			d.PDiff[d.PDiffCount] = p
			d.PDiffCount++
			n++
			if p&0x01 == 0 {
				break
			}
		}
	}
	if d.HasSS {
		size, err := vp9SSSize(payload[n:])
		if err != nil {
			return 0, err
		}
		d.SS = payload[n : n+size : n+size]
		n += size
	}
	return n, nil
}

// vp9SSSize returns the length of the scalability structure at b[0]
// (RFC 9628 §4.2.1).
func vp9SSSize(b []byte) (int, error) {
	if len(b) < 1 {
		return 0, fmt.Errorf("rtp: VP9 V bit set but no scalability structure (RFC 9628 §4.2.1)")
	}
	ns := int(b[0]>>5) + 1
	n := 1
	if b[0]&0x10 != 0 { // Y
		n += 4 * ns
	}
	if b[0]&0x08 != 0 { // G
		if len(b) < n+1 {
			return 0, fmt.Errorf("rtp: VP9 scalability structure needs N_G at %d, length %d (RFC 9628 §4.2.1)", n, len(b))
		}
		ng := int(b[n])
		n++
		for i := 0; i < ng; i++ {
			if len(b) < n+1 {
				return 0, fmt.Errorf("rtp: VP9 scalability structure picture group %d at %d, length %d (RFC 9628 §4.2.1)", i, n, len(b))
			}
			n += 1 + int(b[n]>>2)&0x03
		}
	}
	if len(b) < n {
		return 0, fmt.Errorf("rtp: VP9 scalability structure needs %d bytes, have %d (RFC 9628 §4.2.1)", n, len(b))
	}
	return n, nil
}

// VP9ScalabilityStructure is the decoded SS (RFC 9628 §4.2.1).
type VP9ScalabilityStructure struct {
	SpatialLayers   int // N_S + 1
	HasResolution   bool
	Width, Height   [8]uint16 // per spatial layer, when HasResolution
	HasPictureGroup bool
	PictureGroup    []byte // N_G entries as raw bytes, referencing the SS
	PictureGroupLen int    // N_G
}

// ScalabilityStructure decodes d.SS. It does not allocate.
func (d *VP9Descriptor) ScalabilityStructure() (VP9ScalabilityStructure, error) {
	var s VP9ScalabilityStructure
	if !d.HasSS {
		return s, fmt.Errorf("rtp: VP9 descriptor has no scalability structure (V=0)")
	}
	if _, err := vp9SSSize(d.SS); err != nil {
		return s, err
	}
	b := d.SS
	s.SpatialLayers = int(b[0]>>5) + 1
	s.HasResolution = b[0]&0x10 != 0
	s.HasPictureGroup = b[0]&0x08 != 0
	n := 1
	if s.HasResolution {
		for i := 0; i < s.SpatialLayers; i++ {
			s.Width[i] = binary.BigEndian.Uint16(b[n:])
			s.Height[i] = binary.BigEndian.Uint16(b[n+2:])
			n += 4
		}
	}
	if s.HasPictureGroup {
		s.PictureGroupLen = int(b[n])
		s.PictureGroup = b[n+1:]
	}
	return s, nil
}

// MarshalSize returns the descriptor length MarshalTo writes.
func (d *VP9Descriptor) MarshalSize() int {
	n := 1
	if d.HasPictureID {
		n += pictureIDSize(d.PictureIDLong)
	}
	if d.HasLayerIndices {
		n++
		if !d.Flexible {
			n++
		}
	}
	if d.Flexible && d.InterPredicted {
		n += d.PDiffCount
	}
	if d.HasSS {
		n += len(d.SS)
	}
	return n
}

// MarshalTo writes the descriptor (RFC 9628 §4.2).
func (d *VP9Descriptor) MarshalTo(buf []byte) (int, error) {
	n := d.MarshalSize()
	if len(buf) < n {
		return 0, fmt.Errorf("rtp: buffer length %d, VP9 descriptor needs %d", len(buf), n)
	}
	if d.TID > 7 || d.SID > 7 || (!d.PictureIDLong && d.PictureID > 0x7f) || d.PictureID > 0x7fff {
		return 0, fmt.Errorf("rtp: VP9 descriptor field out of range: TID %d SID %d PictureID %d (RFC 9628 §4.2)", d.TID, d.SID, d.PictureID)
	}
	if d.Flexible && d.InterPredicted && (d.PDiffCount < 1 || d.PDiffCount > 3) {
		return 0, fmt.Errorf("rtp: VP9 flexible P=1 descriptor has %d P_DIFF, want 1..3 (RFC 9628 §4.2)", d.PDiffCount)
	}
	if d.HasSS {
		if size, err := vp9SSSize(d.SS); err != nil || size != len(d.SS) {
			return 0, fmt.Errorf("rtp: VP9 scalability structure of %d bytes is malformed (RFC 9628 §4.2.1)", len(d.SS))
		}
	}
	var b byte
	for i, f := range [8]bool{d.HasPictureID, d.InterPredicted, d.HasLayerIndices, d.Flexible, d.StartOfFrame, d.EndOfFrame, d.HasSS, d.NotRefUpper} {
		if f {
			b |= 0x80 >> i
		}
	}
	buf[0] = b
	p := 1
	if d.HasPictureID {
		p = putPictureID(buf, p, d.PictureID, d.PictureIDLong)
	}
	if d.HasLayerIndices {
		l := d.TID<<5 | d.SID<<1
		if d.SwitchingUp {
			l |= 0x10
		}
		if d.InterLayerDep {
			l |= 0x01
		}
		buf[p] = l
		p++
		if !d.Flexible {
			buf[p] = d.TL0PICIDX
			p++
		}
	}
	if d.Flexible && d.InterPredicted {
		p += copy(buf[p:], d.PDiff[:d.PDiffCount])
	}
	if d.HasSS {
		p += copy(buf[p:], d.SS)
	}
	return p, nil
}

// IsKeyframe reports whether the packet starts a key picture: the first
// packet of a frame (B=1) that is not inter-picture predicted (P=0) in the
// base spatial layer (RFC 9628 §4.2: P=0 and, with layer indices, SID=0).
func (d *VP9Descriptor) IsKeyframe() bool {
	return d.StartOfFrame && !d.InterPredicted && (!d.HasLayerIndices || d.SID == 0)
}

// RewriteInPlace sets the picture ID and, in non-flexible mode, TL0PICIDX
// in payload, the VP9 payload d was parsed from, without moving any byte
// (RFC 9628 §4.2). A 7-bit picture ID keeps 7 bits, a 15-bit one 15.
func (d *VP9Descriptor) RewriteInPlace(payload []byte, pictureID uint16, tl0picidx uint8) error {
	if d.HasPictureID {
		id, err := rewritePictureID(payload, d.PictureIDOffset, pictureID, d.PictureIDLong, "VP9")
		if err != nil {
			return err
		}
		d.PictureID = id
	}
	if d.HasLayerIndices && !d.Flexible {
		if len(payload) < d.TL0PICIDXOffset+1 {
			return fmt.Errorf("rtp: VP9 payload length %d, TL0PICIDX needs %d", len(payload), d.TL0PICIDXOffset+1)
		}
		d.TL0PICIDX = tl0picidx
		payload[d.TL0PICIDXOffset] = tl0picidx
	}
	return nil
}
