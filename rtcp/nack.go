package rtcp

import (
	"encoding/binary"
	"fmt"
)

// NACKPair is one FCI entry of a generic NACK (RFC 4585 §6.2.1): PID is a
// lost packet's sequence number and bit i of BLP marks PID+i+1 lost too.
type NACKPair struct {
	PID uint16
	BLP uint16
}

// ForEach calls fn for every sequence number the pair reports lost, in
// increasing order.
func (n NACKPair) ForEach(fn func(seq uint16)) {
	fn(n.PID)
	for i := 0; i < 16; i++ {
		if n.BLP&(1<<i) != 0 {
			fn(n.PID + uint16(i) + 1)
		}
	}
}

// AppendNACKPairs packs lost sequence numbers (ascending in RTP's modular
// order, duplicates allowed) into pairs appended to dst, as libwebrtc does:
// a new pair whenever a sequence number is more than 16 past the PID.
func AppendNACKPairs(dst []NACKPair, seqs []uint16) []NACKPair {
	for i := 0; i < len(seqs); {
		p := NACKPair{PID: seqs[i]}
		i++
		for i < len(seqs) {
			d := seqs[i] - p.PID
			if d == 0 {
				i++
				continue
			}
			if d > 16 {
				break
			}
			p.BLP |= 1 << (d - 1)
			i++
		}
		dst = append(dst, p)
	}
	return dst
}

// NACK is a transport-layer generic NACK (RTPFB FMT=1, RFC 4585 §6.2.1).
// Pairs is reused across Unmarshal calls.
type NACK struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Pairs      []NACKPair
	Padding    []byte
}

// Unmarshal parses a single generic NACK packet b.
func (p *NACK) Unmarshal(b []byte) error {
	s, m, fci, pad, err := parseFeedback(b, TypeTransportFeedback, FormatNACK, "NACK")
	if err != nil {
		return err
	}
	if len(fci) == 0 || len(fci)%4 != 0 {
		return fmt.Errorf("rtcp: NACK: FCI of %d bytes, want a non-zero multiple of 4 (RFC 4585 §6.2.1)", len(fci))
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.Pairs = p.Pairs[:0]
	for i := 0; i < len(fci); i += 4 {
		p.Pairs = append(p.Pairs, NACKPair{binary.BigEndian.Uint16(fci[i:]), binary.BigEndian.Uint16(fci[i+2:])})
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *NACK) MarshalSize() int { return feedbackHeaderLength + 4*len(p.Pairs) + len(p.Padding) }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *NACK) MarshalTo(b []byte) (int, error) {
	if len(p.Pairs) == 0 {
		return 0, fmt.Errorf("rtcp: NACK: no FCI entries, at least one required (RFC 4585 §6.2.1)")
	}
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatNACK, TypeTransportFeedback, n, p.SenderSSRC, p.MediaSSRC, "NACK")
	if err != nil {
		return 0, err
	}
	for _, pr := range p.Pairs {
		binary.BigEndian.PutUint16(b[i:], pr.PID)
		binary.BigEndian.PutUint16(b[i+2:], pr.BLP)
		i += 4
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *NACK) Marshal() ([]byte, error) { return marshal(p) }
