package rtp

import (
	"encoding/binary"
	"fmt"
)

// HeaderSize is the size of the fixed RTP header without CSRCs (RFC 3550 §5.1).
const HeaderSize = 12

// MaxCSRC is the most contributing sources a header can carry: CC is 4 bits
// (RFC 3550 §5.1).
const MaxCSRC = 15

// Header is the RTP fixed header, its CSRC list and its header extension
// block (RFC 3550 §5.1, §5.3.1).
//
// Unmarshal fills a Header without allocating: ExtensionPayload references
// the parsed buffer, so the Header is valid only as long as that buffer is.
type Header struct {
	Version        uint8  // V, always 2 after a successful Unmarshal
	Padding        bool   // P: the packet ends in padding (RFC 3550 §5.1)
	Extension      bool   // X: a header extension block follows the CSRCs
	Marker         bool   // M
	PayloadType    uint8  // PT, 7 bits
	SequenceNumber uint16 // sequence number
	Timestamp      uint32 // timestamp
	SSRC           uint32 // synchronization source

	CSRCCount uint8           // CC: number of valid entries in CSRC
	CSRC      [MaxCSRC]uint32 // CSRC[:CSRCCount] are the contributing sources

	// ExtensionProfile is the 16-bit "defined by profile" field of the
	// extension block (RFC 3550 §5.3.1): 0xBEDE for RFC 8285 one-byte
	// elements, 0x100X for two-byte elements, anything else is opaque.
	ExtensionProfile uint16
	// ExtensionPayload is the extension block after its 4-byte header,
	// a multiple of 4 bytes, referencing the unmarshalled buffer. Its
	// elements are read with Extensions or GetExtension.
	ExtensionPayload []byte
	// ExtensionOffset is the offset of ExtensionPayload inside the buffer
	// given to Unmarshal (0 when there is no extension block).
	ExtensionOffset int
}

// CSRCs returns the contributing sources, aliasing h.CSRC.
func (h *Header) CSRCs() []uint32 { return h.CSRC[:min(h.CSRCCount, MaxCSRC)] }

// Unmarshal parses the RTP header at the start of b and returns its length
// in bytes: 12 + 4·CC, plus 4 + the extension length when X is set
// (RFC 3550 §5.1, §5.3.1; the framing is HeaderLength's). It does not
// allocate; h.ExtensionPayload references b. For RFC 8285 extension
// profiles every element is checked to lie inside the block, so Extensions
// never meets a malformed element. Framing errors wrap HeaderLength's.
func (h *Header) Unmarshal(b []byte) (n int, err error) {
	// HeaderLength's framing, inline (RFC 3550 §5.1, §5.3.1); on any
	// violation HeaderLength itself names the error.
	if len(b) < HeaderSize || b[0]>>6 != 2 {
		return 0, headerError(b)
	}
	cc := b[0] & 0x0f
	n = HeaderSize + 4*int(cc)
	ext := noExtension
	if b[0]&0x10 != 0 {
		ext = n
		if len(b) < n+4 {
			return 0, headerError(b)
		}
		n += 4 + 4*(int(b[n+2])<<8|int(b[n+3]))
	}
	if len(b) < n {
		return 0, headerError(b)
	}
	h.Version = b[0] >> 6
	h.Padding = b[0]&0x20 != 0
	h.Extension = ext >= 0
	h.Marker = b[1]&0x80 != 0
	h.PayloadType = b[1] & 0x7f
	h.SequenceNumber = binary.BigEndian.Uint16(b[2:])
	h.Timestamp = binary.BigEndian.Uint32(b[4:])
	h.SSRC = binary.BigEndian.Uint32(b[8:])
	h.CSRCCount = cc
	for i := 0; i < int(cc); i++ {
		h.CSRC[i] = binary.BigEndian.Uint32(b[HeaderSize+4*i:])
	}
	h.ExtensionProfile = 0
	h.ExtensionPayload = nil
	h.ExtensionOffset = 0
	if ext < 0 {
		return n, nil
	}
	h.ExtensionProfile = binary.BigEndian.Uint16(b[ext:])
	h.ExtensionPayload = b[ext+4 : n : n]
	h.ExtensionOffset = ext + 4
	if err := validateExtensionElements(h.ExtensionProfile, h.ExtensionPayload); err != nil {
		return 0, err
	}
	return n, nil
}

// headerError returns HeaderLength's error for b, wrapped by framingError.
func headerError(b []byte) error {
	_, _, err := HeaderLength(b)
	return framingError(b, err)
}

// framingError adds to a HeaderLength error the lengths that broke the rule.
func framingError(b []byte, err error) error {
	switch err {
	case ErrHeaderShort:
		return fmt.Errorf("%w: length %d", err, len(b))
	case ErrVersion:
		return fmt.Errorf("%w: version %d", err, b[0]>>6)
	case ErrCSRCOverrun:
		return fmt.Errorf("%w: length %d, CC %d needs %d", err, len(b), b[0]&0x0f, HeaderSize+4*int(b[0]&0x0f))
	case ErrExtensionOverrun:
		n := HeaderSize + 4*int(b[0]&0x0f)
		if len(b) < n+4 {
			return fmt.Errorf("%w: length %d, extension header needs %d", err, len(b), n+4)
		}
		words := int(binary.BigEndian.Uint16(b[n+2:]))
		return fmt.Errorf("%w: length %d words needs %d bytes, have %d", err, words, n+4+4*words, len(b))
	}
	return err
}

// MarshalSize returns the number of bytes MarshalTo writes.
func (h *Header) MarshalSize() int {
	n := HeaderSize + 4*int(h.CSRCCount)
	if h.Extension {
		n += 4 + len(h.ExtensionPayload)
	}
	return n
}

// MarshalTo writes the header into buf and returns the number of bytes
// written (RFC 3550 §5.1). Version 0 is written as 2, so a Header built
// field by field marshals to a valid packet; other versions are an error.
func (h *Header) MarshalTo(buf []byte) (n int, err error) {
	n = h.MarshalSize()
	if len(buf) < n {
		return 0, fmt.Errorf("rtp: buffer length %d, header needs %d", len(buf), n)
	}
	if h.Version != 0 && h.Version != 2 {
		return 0, fmt.Errorf("rtp: version %d, want 2 (RFC 3550 §5.1)", h.Version)
	}
	if h.CSRCCount > MaxCSRC {
		return 0, fmt.Errorf("rtp: CSRC count %d, want at most %d (RFC 3550 §5.1)", h.CSRCCount, MaxCSRC)
	}
	if h.Extension && len(h.ExtensionPayload)%4 != 0 {
		return 0, fmt.Errorf("rtp: header extension payload %d bytes, want a multiple of 4 (RFC 3550 §5.3.1)", len(h.ExtensionPayload))
	}
	if h.Extension && len(h.ExtensionPayload)/4 > 0xffff {
		return 0, fmt.Errorf("rtp: header extension payload %d bytes, want at most %d (RFC 3550 §5.3.1)", len(h.ExtensionPayload), 4*0xffff)
	}
	v := h.Version
	if v == 0 {
		v = 2
	}
	b0 := v<<6 | h.CSRCCount
	if h.Padding {
		b0 |= 0x20
	}
	if h.Extension {
		b0 |= 0x10
	}
	buf[0] = b0
	b1 := h.PayloadType & 0x7f
	if h.Marker {
		b1 |= 0x80
	}
	buf[1] = b1
	binary.BigEndian.PutUint16(buf[2:], h.SequenceNumber)
	binary.BigEndian.PutUint32(buf[4:], h.Timestamp)
	binary.BigEndian.PutUint32(buf[8:], h.SSRC)
	off := HeaderSize
	for i := 0; i < int(h.CSRCCount); i++ {
		binary.BigEndian.PutUint32(buf[off:], h.CSRC[i])
		off += 4
	}
	if h.Extension {
		binary.BigEndian.PutUint16(buf[off:], h.ExtensionProfile)
		binary.BigEndian.PutUint16(buf[off+2:], uint16(len(h.ExtensionPayload)/4))
		copy(buf[off+4:], h.ExtensionPayload)
	}
	return n, nil
}

// Marshal returns the header in a new buffer.
func (h *Header) Marshal() ([]byte, error) {
	buf := make([]byte, h.MarshalSize())
	n, err := h.MarshalTo(buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}
