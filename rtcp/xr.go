package rtcp

import (
	"encoding/binary"
	"fmt"
)

// XR block types with typed accessors here (RFC 3611 §4); the others are
// kept as raw blocks.
const (
	XRTypeRRTR uint8 = 4 // Receiver Reference Time, RFC 3611 §4.4
	XRTypeDLRR uint8 = 5 // DLRR, RFC 3611 §4.5
)

// ExtendedReport is an XR packet (RFC 3611 §2):
//
//	|V=2|P|reserved |   PT=XR=207   |             length            |
//	|                              SSRC                             |
//	:                         report blocks                         :
//
// The reserved bits of the header are kept in Reserved. Blocks is reused
// across Unmarshal calls; block bodies reference the input.
type ExtendedReport struct {
	Reserved   uint8 // the 5 bits in the count position, zero when sent
	SenderSSRC uint32
	Blocks     []XRBlock
	Padding    []byte
}

// XRBlock is one report block (RFC 3611 §3):
//
//	|      BT       | type-specific |         block length          |
//	:             type-specific block contents                      :
//
// Body is the contents after the 4-byte block header (block length words).
type XRBlock struct {
	Type         uint8
	TypeSpecific uint8
	Body         []byte
}

// RRTR returns the NTP timestamp of a Receiver Reference Time block
// (RFC 3611 §4.4).
func (b *XRBlock) RRTR() (ntp uint64, err error) {
	if b.Type != XRTypeRRTR || len(b.Body) != 8 {
		return 0, fmt.Errorf("rtcp: XR: block type %d with %d bytes is not an RRTR block (type 4, 8 bytes; RFC 3611 §4.4)", b.Type, len(b.Body))
	}
	return binary.BigEndian.Uint64(b.Body), nil
}

// DLRRItem is one sub-block of a DLRR block (RFC 3611 §4.5).
type DLRRItem struct {
	SSRC uint32
	LRR  uint32 // middle 32 bits of the NTP timestamp of the last RRTR
	DLRR uint32 // delay since that RRTR, units of 1/65536 s
}

// DLRRLen returns the number of sub-blocks of a DLRR block (RFC 3611 §4.5),
// or an error if b is not a well-formed DLRR block.
func (b *XRBlock) DLRRLen() (int, error) {
	if b.Type != XRTypeDLRR || len(b.Body)%12 != 0 {
		return 0, fmt.Errorf("rtcp: XR: block type %d with %d bytes is not a DLRR block (type 5, 12 bytes per sub-block; RFC 3611 §4.5)", b.Type, len(b.Body))
	}
	return len(b.Body) / 12, nil
}

// DLRR returns sub-block i of a DLRR block; i < DLRRLen().
func (b *XRBlock) DLRR(i int) DLRRItem {
	s := b.Body[12*i:]
	return DLRRItem{SSRC: binary.BigEndian.Uint32(s), LRR: binary.BigEndian.Uint32(s[4:]), DLRR: binary.BigEndian.Uint32(s[8:])}
}

// NewRRTRBlock encodes an RRTR block into buf, reused when its capacity
// holds the 8 bytes (else a new buffer is allocated).
func NewRRTRBlock(ntp uint64, buf []byte) XRBlock {
	buf = reuse(buf, 8)
	binary.BigEndian.PutUint64(buf, ntp)
	return XRBlock{Type: XRTypeRRTR, Body: buf}
}

// NewDLRRBlock encodes a DLRR block into buf, reused when its capacity holds
// the 12 bytes per item (else a new buffer is allocated).
func NewDLRRBlock(items []DLRRItem, buf []byte) XRBlock {
	buf = reuse(buf, 12*len(items))
	for i, it := range items {
		binary.BigEndian.PutUint32(buf[12*i:], it.SSRC)
		binary.BigEndian.PutUint32(buf[12*i+4:], it.LRR)
		binary.BigEndian.PutUint32(buf[12*i+8:], it.DLRR)
	}
	return XRBlock{Type: XRTypeDLRR, Body: buf}
}

// Unmarshal parses a single XR packet b.
func (p *ExtendedReport) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeExtendedReport, "XR")
	if err != nil {
		return err
	}
	if len(body) < 4 {
		return errTruncated("XR SSRC", 4, len(body), "RFC 3611 §2")
	}
	p.Reserved, p.Padding = h.Count, pad
	p.SenderSSRC = binary.BigEndian.Uint32(body)
	p.Blocks = p.Blocks[:0]
	for i := 4; i < len(body); {
		if i+4 > len(body) {
			return errTruncated(fmt.Sprintf("XR block %d header", len(p.Blocks)), 4, len(body)-i, "RFC 3611 §3")
		}
		n := 4 * int(binary.BigEndian.Uint16(body[i+2:]))
		if i+4+n > len(body) {
			return fmt.Errorf("rtcp: XR: block %d (BT %d): block length %d bytes, %d left (RFC 3611 §3)", len(p.Blocks), body[i], n, len(body)-i-4)
		}
		p.Blocks = append(p.Blocks, XRBlock{Type: body[i], TypeSpecific: body[i+1], Body: body[i+4 : i+4+n]})
		i += 4 + n
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *ExtendedReport) MarshalSize() int {
	n := headerLength + 4 + len(p.Padding)
	for i := range p.Blocks {
		n += 4 + len(p.Blocks[i].Body)
	}
	return n
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *ExtendedReport) MarshalTo(b []byte) (int, error) {
	for i := range p.Blocks {
		if l := len(p.Blocks[i].Body); l%4 != 0 || l > 4*0xffff {
			return 0, fmt.Errorf("rtcp: XR: block %d body of %d bytes, want a multiple of 4 below 2^18 (RFC 3611 §3)", i, l)
		}
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, p.Reserved, TypeExtendedReport, n, "XR"); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], p.SenderSSRC)
	i := 8
	for k := range p.Blocks {
		blk := &p.Blocks[k]
		b[i], b[i+1] = blk.Type, blk.TypeSpecific
		binary.BigEndian.PutUint16(b[i+2:], uint16(len(blk.Body)/4))
		i += 4 + copy(b[i+4:], blk.Body)
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *ExtendedReport) Marshal() ([]byte, error) { return marshal(p) }
