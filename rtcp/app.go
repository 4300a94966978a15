package rtcp

import (
	"encoding/binary"
	"fmt"
)

// ApplicationDefined is an APP packet (RFC 3550 §6.7):
//
//	|V=2|P| subtype |   PT=APP=204  |             length            |
//	|                           SSRC/CSRC                           |
//	|                          name (ASCII)                         |
//	|                   application-dependent data                ...
type ApplicationDefined struct {
	Subtype uint8
	SSRC    uint32
	Name    [4]byte
	Data    []byte // references the input; a multiple of 4 octets (RFC 3550 §6.7)
	Padding []byte
}

// Unmarshal parses a single APP packet b.
func (p *ApplicationDefined) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeApplicationDefined, "APP")
	if err != nil {
		return err
	}
	if len(body) < 8 {
		return errTruncated("APP SSRC and name", 8, len(body), "RFC 3550 §6.7")
	}
	p.Subtype = h.Count
	p.SSRC = binary.BigEndian.Uint32(body)
	copy(p.Name[:], body[4:8])
	p.Data = body[8:]
	p.Padding = pad
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *ApplicationDefined) MarshalSize() int {
	return headerLength + 8 + len(p.Data) + len(p.Padding)
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *ApplicationDefined) MarshalTo(b []byte) (int, error) {
	if p.Subtype > maxCount {
		return 0, fmt.Errorf("rtcp: APP: subtype %d does not fit 5 bits (RFC 3550 §6.7)", p.Subtype)
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, p.Subtype, TypeApplicationDefined, n, "APP"); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], p.SSRC)
	copy(b[8:12], p.Name[:])
	i := 12 + copy(b[12:], p.Data)
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *ApplicationDefined) Marshal() ([]byte, error) { return marshal(p) }
