package rtcp

import "fmt"

// PLI is a Picture Loss Indication (PSFB FMT=1, RFC 4585 §6.3.1). It has no
// FCI.
type PLI struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Padding    []byte
}

// Unmarshal parses a single PLI packet b.
func (p *PLI) Unmarshal(b []byte) error {
	s, m, fci, pad, err := parseFeedback(b, TypePayloadFeedback, FormatPLI, "PLI")
	if err != nil {
		return err
	}
	if len(fci) != 0 {
		return fmt.Errorf("rtcp: PLI: FCI of %d bytes, want none (RFC 4585 §6.3.1)", len(fci))
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *PLI) MarshalSize() int { return feedbackHeaderLength + len(p.Padding) }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *PLI) MarshalTo(b []byte) (int, error) {
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatPLI, TypePayloadFeedback, n, p.SenderSSRC, p.MediaSSRC, "PLI")
	if err != nil {
		return 0, err
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *PLI) Marshal() ([]byte, error) { return marshal(p) }
