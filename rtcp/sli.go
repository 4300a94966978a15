package rtcp

import (
	"encoding/binary"
	"fmt"
)

// SLIEntry is one FCI entry of a Slice Loss Indication (RFC 4585 §6.3.2):
//
//	|            First        |        Number           | PictureID |
type SLIEntry struct {
	First     uint16 // 13 bits: first lost macroblock
	Number    uint16 // 13 bits: number of lost macroblocks
	PictureID uint8  // 6 bits
}

// SLI is a Slice Loss Indication (PSFB FMT=2, RFC 4585 §6.3.2). Entries is
// reused across Unmarshal calls.
type SLI struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Entries    []SLIEntry
	Padding    []byte
}

// Unmarshal parses a single SLI packet b.
func (p *SLI) Unmarshal(b []byte) error {
	s, m, fci, pad, err := parseFeedback(b, TypePayloadFeedback, FormatSLI, "SLI")
	if err != nil {
		return err
	}
	if len(fci) == 0 || len(fci)%4 != 0 {
		return fmt.Errorf("rtcp: SLI: FCI of %d bytes, want a non-zero multiple of 4 (RFC 4585 §6.3.2)", len(fci))
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.Entries = p.Entries[:0]
	for i := 0; i < len(fci); i += 4 {
		v := binary.BigEndian.Uint32(fci[i:])
		p.Entries = append(p.Entries, SLIEntry{First: uint16(v >> 19), Number: uint16(v>>6) & 0x1fff, PictureID: uint8(v & 0x3f)})
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *SLI) MarshalSize() int { return feedbackHeaderLength + 4*len(p.Entries) + len(p.Padding) }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *SLI) MarshalTo(b []byte) (int, error) {
	if len(p.Entries) == 0 {
		return 0, fmt.Errorf("rtcp: SLI: no FCI entries, at least one required (RFC 4585 §6.3.2)")
	}
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatSLI, TypePayloadFeedback, n, p.SenderSSRC, p.MediaSSRC, "SLI")
	if err != nil {
		return 0, err
	}
	for _, e := range p.Entries {
		if e.First > 0x1fff || e.Number > 0x1fff || e.PictureID > 0x3f {
			return 0, fmt.Errorf("rtcp: SLI: entry %+v overflows its 13/13/6-bit fields (RFC 4585 §6.3.2)", e)
		}
		binary.BigEndian.PutUint32(b[i:], uint32(e.First)<<19|uint32(e.Number)<<6|uint32(e.PictureID))
		i += 4
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *SLI) Marshal() ([]byte, error) { return marshal(p) }
