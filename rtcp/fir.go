package rtcp

import (
	"encoding/binary"
	"fmt"
)

// FIREntry is one FCI entry of a Full Intra Request (RFC 5104 §4.3.1.1):
//
//	|                              SSRC                             |
//	| Seq nr.       |    Reserved                                   |
//
// Reserved (24 bits) is kept as received; senders set it to zero.
type FIREntry struct {
	SSRC     uint32
	SeqNr    uint8
	Reserved uint32
}

// FIR is a Full Intra Request (PSFB FMT=4, RFC 5104 §4.3.1). The media
// source SSRC of the common header is unused and set to 0 by senders
// (§4.3.1.2); it is kept as received. Entries is reused across Unmarshal
// calls. The SeqNr of an entry is incremented for each new request towards
// that SSRC (§4.3.1.2); repeats of the same request keep it.
type FIR struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Entries    []FIREntry
	Padding    []byte
}

// Unmarshal parses a single FIR packet b.
func (p *FIR) Unmarshal(b []byte) error {
	s, m, fci, pad, err := parseFeedback(b, TypePayloadFeedback, FormatFIR, "FIR")
	if err != nil {
		return err
	}
	if len(fci) == 0 || len(fci)%8 != 0 {
		return fmt.Errorf("rtcp: FIR: FCI of %d bytes, want a non-zero multiple of 8 (RFC 5104 §4.3.1.1)", len(fci))
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.Entries = p.Entries[:0]
	for i := 0; i < len(fci); i += 8 {
		w := binary.BigEndian.Uint32(fci[i+4:])
		p.Entries = append(p.Entries, FIREntry{SSRC: binary.BigEndian.Uint32(fci[i:]), SeqNr: uint8(w >> 24), Reserved: w & 0xffffff})
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *FIR) MarshalSize() int { return feedbackHeaderLength + 8*len(p.Entries) + len(p.Padding) }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *FIR) MarshalTo(b []byte) (int, error) {
	if len(p.Entries) == 0 {
		return 0, fmt.Errorf("rtcp: FIR: no FCI entries, at least one required (RFC 5104 §4.3.1.1)")
	}
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatFIR, TypePayloadFeedback, n, p.SenderSSRC, p.MediaSSRC, "FIR")
	if err != nil {
		return 0, err
	}
	for _, e := range p.Entries {
		if e.Reserved > 0xffffff {
			return 0, fmt.Errorf("rtcp: FIR: reserved %#x overflows 24 bits (RFC 5104 §4.3.1.1)", e.Reserved)
		}
		binary.BigEndian.PutUint32(b[i:], e.SSRC)
		binary.BigEndian.PutUint32(b[i+4:], uint32(e.SeqNr)<<24|e.Reserved)
		i += 8
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *FIR) Marshal() ([]byte, error) { return marshal(p) }
