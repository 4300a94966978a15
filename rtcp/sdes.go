package rtcp

import (
	"encoding/binary"
	"fmt"
)

// SDESType is an SDES item type (RFC 3550 §6.5).
type SDESType uint8

// SDES item types of RFC 3550 §6.5 and RFC 7941 / RFC 8843 additions.
const (
	SDESEnd      SDESType = 0 // end of the item list
	SDESCNAME    SDESType = 1 // RFC 3550 §6.5.1
	SDESName     SDESType = 2
	SDESEmail    SDESType = 3
	SDESPhone    SDESType = 4
	SDESLocation SDESType = 5
	SDESTool     SDESType = 6
	SDESNote     SDESType = 7
	SDESPrivate  SDESType = 8  // RFC 3550 §6.5.8
	SDESMid      SDESType = 12 // RFC 8843 §15.4 (BUNDLE MID)
)

// SDESItem is one item of a chunk. Text references the input; for PRIV
// items it holds the prefix length, prefix and value as sent.
type SDESItem struct {
	Type SDESType
	Text []byte
}

// SDESChunk is one SSRC/CSRC and its items (RFC 3550 §6.5).
type SDESChunk struct {
	Source uint32
	Items  []SDESItem
}

// size is the chunk's encoded size: SSRC, items, then the null octet(s)
// that end the list and pad to the next 32-bit boundary.
func (c *SDESChunk) size() int {
	n := 4
	for _, it := range c.Items {
		n += 2 + len(it.Text)
	}
	return n + 4 - n%4 // at least one null octet
}

// SourceDescription is an SDES packet (RFC 3550 §6.5):
//
//	|V=2|P|    SC   |  PT=SDES=202  |             length            |
//	|                          SSRC/CSRC_1                          |
//	|                           SDES items                          |
//	|                              ...                              |
//
// Each chunk's item list ends with one to four null octets reaching the next
// 32-bit boundary; they must be zero. Chunks and their Items are reused
// across Unmarshal calls. Tail holds any bytes after the SC chunks within the
// length (none in a well-formed packet).
type SourceDescription struct {
	Chunks  []SDESChunk
	Tail    []byte
	Padding []byte
}

// NewCNAME returns an SDES packet with one chunk holding the CNAME item
// (RFC 3550 §6.5.1), which every compound must carry (§6.1).
func NewCNAME(ssrc uint32, cname []byte) SourceDescription {
	return SourceDescription{Chunks: []SDESChunk{{Source: ssrc, Items: []SDESItem{{Type: SDESCNAME, Text: cname}}}}}
}

// Reset empties p (no chunks, tail or padding) and keeps the memory of its
// chunks and their items for AddCNAME.
func (p *SourceDescription) Reset() {
	p.Chunks, p.Tail, p.Padding = p.Chunks[:0], nil, nil
}

// AddCNAME appends a chunk for source ssrc holding one CNAME item
// (RFC 3550 §6.5.1), reusing the memory of earlier chunks. A sender with
// several streams calls Reset, then AddCNAME once per SSRC, and puts the one
// SDES packet after its reports (RFC 3550 §6.1); once warm this does not
// allocate. cname is referenced, not copied; at most 255 octets marshal.
func (p *SourceDescription) AddCNAME(ssrc uint32, cname []byte) {
	n := len(p.Chunks)
	if n < cap(p.Chunks) {
		p.Chunks = p.Chunks[:n+1]
	} else {
		p.Chunks = append(p.Chunks, SDESChunk{})
	}
	c := &p.Chunks[n]
	c.Source = ssrc
	c.Items = append(c.Items[:0], SDESItem{Type: SDESCNAME, Text: cname})
}

// CNAME returns the CNAME of source ssrc, if present.
func (p *SourceDescription) CNAME(ssrc uint32) ([]byte, bool) {
	for i := range p.Chunks {
		if p.Chunks[i].Source != ssrc {
			continue
		}
		for _, it := range p.Chunks[i].Items {
			if it.Type == SDESCNAME {
				return it.Text, true
			}
		}
	}
	return nil, false
}

// Unmarshal parses a single SDES packet b.
func (p *SourceDescription) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeSourceDescription, "SDES")
	if err != nil {
		return err
	}
	p.Padding = pad
	p.Chunks = p.Chunks[:0]
	p.Tail = nil
	off := 0
	for n := 0; n < int(h.Count); n++ {
		if len(p.Chunks) < cap(p.Chunks) {
			p.Chunks = p.Chunks[:n+1]
		} else {
			p.Chunks = append(p.Chunks, SDESChunk{})
		}
		c := &p.Chunks[n]
		c.Items = c.Items[:0]
		used, err := c.unmarshal(body[off:])
		if err != nil {
			return fmt.Errorf("rtcp: SDES chunk %d: %w", n, err)
		}
		off += used
	}
	p.Tail = body[off:]
	return nil
}

func (c *SDESChunk) unmarshal(b []byte) (int, error) {
	if len(b) < 8 {
		return 0, fmt.Errorf("needs at least 8 bytes, have %d (RFC 3550 §6.5)", len(b))
	}
	c.Source = binary.BigEndian.Uint32(b)
	i := 4
	for {
		if i >= len(b) {
			return 0, fmt.Errorf("item list not terminated by a null octet (RFC 3550 §6.5)")
		}
		t := SDESType(b[i])
		if t == SDESEnd {
			end := i + 4 - i%4
			if end > len(b) {
				return 0, fmt.Errorf("null padding runs past the packet (RFC 3550 §6.5)")
			}
			for _, z := range b[i:end] {
				if z != 0 {
					return 0, fmt.Errorf("padding octet %#x after the item list, want 0 (RFC 3550 §6.5)", z)
				}
			}
			return end, nil
		}
		if i+2 > len(b) || i+2+int(b[i+1]) > len(b) {
			return 0, fmt.Errorf("item type %d truncated (RFC 3550 §6.5)", t)
		}
		n := int(b[i+1])
		c.Items = append(c.Items, SDESItem{Type: t, Text: b[i+2 : i+2+n]})
		i += 2 + n
	}
}

// MarshalSize is the packet's size in bytes.
func (p *SourceDescription) MarshalSize() int {
	n := headerLength + len(p.Tail) + len(p.Padding)
	for i := range p.Chunks {
		n += p.Chunks[i].size()
	}
	return n
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *SourceDescription) MarshalTo(b []byte) (int, error) {
	if len(p.Chunks) > maxCount {
		return 0, fmt.Errorf("rtcp: SDES: %d chunks, at most 31 fit SC (RFC 3550 §6.5)", len(p.Chunks))
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, uint8(len(p.Chunks)), TypeSourceDescription, n, "SDES"); err != nil {
		return 0, err
	}
	i := headerLength
	for ci := range p.Chunks {
		c := &p.Chunks[ci]
		start := i
		binary.BigEndian.PutUint32(b[i:], c.Source)
		i += 4
		for _, it := range c.Items {
			if it.Type == SDESEnd {
				return 0, fmt.Errorf("rtcp: SDES chunk %d: item type 0 is the list terminator (RFC 3550 §6.5)", ci)
			}
			if len(it.Text) > 255 {
				return 0, fmt.Errorf("rtcp: SDES chunk %d: item type %d text of %d octets, at most 255 (RFC 3550 §6.5)", ci, it.Type, len(it.Text))
			}
			b[i] = byte(it.Type)
			b[i+1] = byte(len(it.Text))
			i += 2 + copy(b[i+2:], it.Text)
		}
		end := start + c.size()
		clear(b[i:end])
		i = end
	}
	i += copy(b[i:], p.Tail)
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *SourceDescription) Marshal() ([]byte, error) { return marshal(p) }
