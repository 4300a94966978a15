package rtp

import "fmt"

// VP8Descriptor is the VP8 payload descriptor (RFC 7741 §4.2). Reserved
// bits and the TID/Y/KEYIDX byte are kept exactly, so MarshalTo gives back
// the parsed bytes.
type VP8Descriptor struct {
	Extended     bool  // X: the extension byte follows
	NonReference bool  // N: the frame can be discarded without affecting others
	Start        bool  // S: first packet of a VP8 partition
	PartitionID  uint8 // PID, 0–7
	Reserved     uint8 // the two R bits of the first byte, as 0x48 masks them

	HasPictureID bool  // I
	HasTL0PICIDX bool  // L
	HasTID       bool  // T
	HasKEYIDX    bool  // K
	ReservedX    uint8 // RSV, low 4 bits of the extension byte

	PictureIDLong bool   // M: PictureID has 15 bits instead of 7
	PictureID     uint16 // 7 or 15 bits
	TL0PICIDX     uint8
	TID           uint8 // temporal layer index, 0–3
	LayerSync     bool  // Y
	KEYIDX        uint8 // 0–31

	// Offsets inside the payload, for rewriting in place (valid when the
	// matching Has* field is set).
	PictureIDOffset, TL0PICIDXOffset int
}

// Unmarshal parses the descriptor at the start of a VP8 RTP payload and
// returns its length; the VP8 payload (frame data) follows it (RFC 7741 §4.2).
func (d *VP8Descriptor) Unmarshal(payload []byte) (n int, err error) {
	if len(payload) < 1 {
		return 0, fmt.Errorf("rtp: VP8 payload empty, want a payload descriptor (RFC 7741 §4.2)")
	}
	b := payload[0]
	*d = VP8Descriptor{
		Extended:     b&0x80 != 0,
		NonReference: b&0x20 != 0,
		Start:        b&0x10 != 0,
		PartitionID:  b & 0x07,
		Reserved:     b & 0x48,
	}
	n = 1
	if !d.Extended {
		return n, nil
	}
	if len(payload) < 2 {
		return 0, fmt.Errorf("rtp: VP8 descriptor X bit set but length %d, want 2 (RFC 7741 §4.2)", len(payload))
	}
	x := payload[1]
	d.HasPictureID = x&0x80 != 0
	d.HasTL0PICIDX = x&0x40 != 0
	d.HasTID = x&0x20 != 0
	d.HasKEYIDX = x&0x10 != 0
	d.ReservedX = x & 0x0f
	n = 2
	if d.HasPictureID {
		d.PictureIDOffset = n
		if d.PictureID, d.PictureIDLong, n, err = readPictureID(payload, n, "VP8", "RFC 7741 §4.2"); err != nil {
			return 0, err
		}
	}
	if d.HasTL0PICIDX {
		if len(payload) < n+1 {
			return 0, fmt.Errorf("rtp: VP8 descriptor L bit set but length %d, want %d (RFC 7741 §4.2)", len(payload), n+1)
		}
		d.TL0PICIDXOffset = n
		d.TL0PICIDX = payload[n]
		n++
	}
	if d.HasTID || d.HasKEYIDX {
		if len(payload) < n+1 {
			return 0, fmt.Errorf("rtp: VP8 descriptor T/K bit set but length %d, want %d (RFC 7741 §4.2)", len(payload), n+1)
		}
		t := payload[n]
		d.TID = t >> 6
		d.LayerSync = t&0x20 != 0
		d.KEYIDX = t & 0x1f
		n++
	}
	return n, nil
}

// MarshalSize returns the descriptor length MarshalTo writes.
func (d *VP8Descriptor) MarshalSize() int {
	if !d.Extended {
		return 1
	}
	n := 2
	if d.HasPictureID {
		n += pictureIDSize(d.PictureIDLong)
	}
	if d.HasTL0PICIDX {
		n++
	}
	if d.HasTID || d.HasKEYIDX {
		n++
	}
	return n
}

// MarshalTo writes the descriptor (RFC 7741 §4.2).
func (d *VP8Descriptor) MarshalTo(buf []byte) (int, error) {
	n := d.MarshalSize()
	if len(buf) < n {
		return 0, fmt.Errorf("rtp: buffer length %d, VP8 descriptor needs %d", len(buf), n)
	}
	if d.PartitionID > 7 || d.TID > 3 || d.KEYIDX > 31 || (!d.PictureIDLong && d.PictureID > 0x7f) || d.PictureID > 0x7fff {
		return 0, fmt.Errorf("rtp: VP8 descriptor field out of range: PID %d TID %d KEYIDX %d PictureID %d (RFC 7741 §4.2)", d.PartitionID, d.TID, d.KEYIDX, d.PictureID)
	}
	b := d.PartitionID | d.Reserved&0x48
	if d.Extended {
		b |= 0x80
	}
	if d.NonReference {
		b |= 0x20
	}
	if d.Start {
		b |= 0x10
	}
	buf[0] = b
	if !d.Extended {
		return 1, nil
	}
	x := d.ReservedX & 0x0f
	if d.HasPictureID {
		x |= 0x80
	}
	if d.HasTL0PICIDX {
		x |= 0x40
	}
	if d.HasTID {
		x |= 0x20
	}
	if d.HasKEYIDX {
		x |= 0x10
	}
	buf[1] = x
	p := 2
	if d.HasPictureID {
		p = putPictureID(buf, p, d.PictureID, d.PictureIDLong)
	}
	if d.HasTL0PICIDX {
		buf[p] = d.TL0PICIDX
		p++
	}
	if d.HasTID || d.HasKEYIDX {
		t := d.TID<<6 | d.KEYIDX
		if d.LayerSync {
			t |= 0x20
		}
		buf[p] = t
		p++
	}
	return p, nil
}

// VP8IsKeyframe reports whether a VP8 RTP payload starts a key frame: the
// descriptor has S=1 and PID=0, so the VP8 payload header follows, and its
// inverse key frame flag P is 0 (RFC 7741 §4.2, §4.3).
func VP8IsKeyframe(payload []byte) (bool, error) {
	var d VP8Descriptor
	n, err := d.Unmarshal(payload)
	if err != nil {
		return false, err
	}
	if !d.Start || d.PartitionID != 0 {
		return false, nil
	}
	if len(payload) <= n {
		return false, fmt.Errorf("rtp: VP8 partition start without a payload header (RFC 7741 §4.3)")
	}
	return payload[n]&0x01 == 0, nil
}

// RewriteInPlace sets the picture ID and TL0PICIDX in payload, the VP8
// payload d was parsed from, without moving any byte: the fields an SFU
// renumbers when it switches simulcast layers (RFC 7741 §4.2). Fields the
// descriptor does not carry are left alone; a 7-bit picture ID keeps 7
// bits (pictureID is taken modulo 2^7), a 15-bit one 15 bits.
func (d *VP8Descriptor) RewriteInPlace(payload []byte, pictureID uint16, tl0picidx uint8) error {
	if d.HasPictureID {
		id, err := rewritePictureID(payload, d.PictureIDOffset, pictureID, d.PictureIDLong, "VP8")
		if err != nil {
			return err
		}
		d.PictureID = id
	}
	if d.HasTL0PICIDX {
		if len(payload) < d.TL0PICIDXOffset+1 {
			return fmt.Errorf("rtp: VP8 payload length %d, TL0PICIDX needs %d", len(payload), d.TL0PICIDXOffset+1)
		}
		d.TL0PICIDX = tl0picidx
		payload[d.TL0PICIDXOffset] = tl0picidx
	}
	return nil
}
