package rtcp

import (
	"encoding/binary"
	"fmt"
)

// Goodbye is a BYE packet (RFC 3550 §6.6):
//
//	|V=2|P|    SC   |   PT=BYE=203  |             length            |
//	|                           SSRC/CSRC                           |
//	:                              ...                              :
//	|     length    |               reason for leaving            ...
//
// SSRCs is reused across Unmarshal calls. Reason is nil when the packet has
// no reason field (a non-nil empty Reason encodes a zero-length reason).
// ReasonPadding is what follows the reason up to the 32-bit boundary; it is
// zero in a well-formed packet and kept as received.
type Goodbye struct {
	SSRCs         []uint32
	Reason        []byte
	ReasonPadding []byte
	Padding       []byte
}

// Unmarshal parses a single BYE packet b.
func (p *Goodbye) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeGoodbye, "BYE")
	if err != nil {
		return err
	}
	p.Padding = pad
	p.SSRCs = p.SSRCs[:0]
	p.Reason, p.ReasonPadding = nil, nil
	n := int(h.Count)
	if len(body) < 4*n {
		return errTruncated("BYE SSRC list", 4*n, len(body), "RFC 3550 §6.6")
	}
	for i := 0; i < n; i++ {
		p.SSRCs = append(p.SSRCs, binary.BigEndian.Uint32(body[4*i:]))
	}
	rest := body[4*n:]
	if len(rest) == 0 {
		return nil
	}
	l := int(rest[0])
	if 1+l > len(rest) {
		return fmt.Errorf("rtcp: BYE: reason length %d exceeds the %d bytes left (RFC 3550 §6.6)", l, len(rest)-1)
	}
	p.Reason = rest[1 : 1+l]
	p.ReasonPadding = rest[1+l:]
	return nil
}

// MarshalSize is the packet's size in bytes. When ReasonPadding is nil, the
// reason is padded with zeros to the next 32-bit boundary.
func (p *Goodbye) MarshalSize() int {
	n := headerLength + 4*len(p.SSRCs) + len(p.Padding)
	if p.Reason != nil {
		n += 1 + len(p.Reason) + p.reasonPadLen()
	}
	return n
}

func (p *Goodbye) reasonPadLen() int {
	if p.ReasonPadding != nil {
		return len(p.ReasonPadding)
	}
	return (4 - (1+len(p.Reason))%4) % 4
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *Goodbye) MarshalTo(b []byte) (int, error) {
	if len(p.SSRCs) > maxCount {
		return 0, fmt.Errorf("rtcp: BYE: %d sources, at most 31 fit SC (RFC 3550 §6.6)", len(p.SSRCs))
	}
	if len(p.Reason) > 255 {
		return 0, fmt.Errorf("rtcp: BYE: reason of %d octets, at most 255 (RFC 3550 §6.6)", len(p.Reason))
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, uint8(len(p.SSRCs)), TypeGoodbye, n, "BYE"); err != nil {
		return 0, err
	}
	i := headerLength
	for _, s := range p.SSRCs {
		binary.BigEndian.PutUint32(b[i:], s)
		i += 4
	}
	if p.Reason != nil {
		b[i] = byte(len(p.Reason))
		i += 1 + copy(b[i+1:], p.Reason)
		if p.ReasonPadding != nil {
			i += copy(b[i:], p.ReasonPadding)
		} else {
			k := p.reasonPadLen()
			clear(b[i : i+k])
			i += k
		}
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *Goodbye) Marshal() ([]byte, error) { return marshal(p) }
