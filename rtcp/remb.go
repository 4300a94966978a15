package rtcp

import (
	"encoding/binary"
	"fmt"
)

var rembIdentifier = [4]byte{'R', 'E', 'M', 'B'}

// REMB is a Receiver Estimated Maximum Bitrate message
// (draft-alvestrand-rmcat-remb-03 §2.2), an application layer feedback
// (PSFB FMT=15, RFC 4585 §6.4):
//
//	|V=2|P| FMT=15  |   PT=206      |             length            |
//	|                  SSRC of packet sender                        |
//	|                  SSRC of media source (0)                     |
//	|  Unique identifier 'R' 'E' 'M' 'B'                            |
//	|  Num SSRC     | BR Exp    |  BR Mantissa                      |
//	|   SSRC feedback                                               |
//
// The bitrate is Mantissa << Exp bits per second. Exp and Mantissa are kept
// as received (one bitrate has several encodings); SetBitrate picks the one
// libwebrtc sends. SSRCs is reused across Unmarshal calls.
type REMB struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Exp        uint8  // 6 bits
	Mantissa   uint32 // 18 bits
	SSRCs      []uint32
	Padding    []byte
}

// Bitrate returns Mantissa·2^Exp in bits per second, saturating at the
// largest uint64.
func (p *REMB) Bitrate() uint64 { return expBitrate(p.Mantissa, p.Exp) }

// SetBitrate encodes bps with the smallest exponent whose mantissa fits 18
// bits, truncating low bits (draft-alvestrand-rmcat-remb-03 §2.2). Any
// uint64 fits: the exponent stays at most 46.
func (p *REMB) SetBitrate(bps uint64) { p.Exp, p.Mantissa = splitBitrate(bps, 18) }

// Unmarshal parses a single REMB packet b.
func (p *REMB) Unmarshal(b []byte) error {
	s, m, fci, pad, err := parseFeedback(b, TypePayloadFeedback, FormatAppLayer, "REMB")
	if err != nil {
		return err
	}
	if len(fci) < 8 {
		return errTruncated("REMB FCI", 8, len(fci), "draft-alvestrand-rmcat-remb-03 §2.2")
	}
	if [4]byte(fci[:4]) != rembIdentifier {
		return fmt.Errorf("rtcp: REMB: identifier %q, want \"REMB\" (draft-alvestrand-rmcat-remb-03 §2.2)", fci[:4])
	}
	num := int(fci[4])
	if len(fci) != 8+4*num {
		return fmt.Errorf("rtcp: REMB: Num SSRC %d needs FCI of %d bytes, have %d (draft-alvestrand-rmcat-remb-03 §2.2)", num, 8+4*num, len(fci))
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.Exp = fci[5] >> 2
	p.Mantissa = uint32(fci[5]&3)<<16 | uint32(fci[6])<<8 | uint32(fci[7])
	p.SSRCs = p.SSRCs[:0]
	for i := 0; i < num; i++ {
		p.SSRCs = append(p.SSRCs, binary.BigEndian.Uint32(fci[8+4*i:]))
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *REMB) MarshalSize() int { return feedbackHeaderLength + 8 + 4*len(p.SSRCs) + len(p.Padding) }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *REMB) MarshalTo(b []byte) (int, error) {
	if len(p.SSRCs) > 255 {
		return 0, fmt.Errorf("rtcp: REMB: %d SSRCs, at most 255 fit Num SSRC (draft-alvestrand-rmcat-remb-03 §2.2)", len(p.SSRCs))
	}
	if p.Exp > 63 || p.Mantissa > 0x3ffff {
		return 0, fmt.Errorf("rtcp: REMB: exp %d / mantissa %d overflow 6/18 bits (draft-alvestrand-rmcat-remb-03 §2.2)", p.Exp, p.Mantissa)
	}
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, FormatAppLayer, TypePayloadFeedback, n, p.SenderSSRC, p.MediaSSRC, "REMB")
	if err != nil {
		return 0, err
	}
	copy(b[i:], rembIdentifier[:])
	b[i+4] = byte(len(p.SSRCs))
	b[i+5] = p.Exp<<2 | byte(p.Mantissa>>16)
	b[i+6] = byte(p.Mantissa >> 8)
	b[i+7] = byte(p.Mantissa)
	i += 8
	for _, s := range p.SSRCs {
		binary.BigEndian.PutUint32(b[i:], s)
		i += 4
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *REMB) Marshal() ([]byte, error) { return marshal(p) }
