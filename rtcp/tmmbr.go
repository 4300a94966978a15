package rtcp

import (
	"encoding/binary"
	"fmt"
)

// TMMBREntry is one FCI entry of a Temporary Maximum Media Stream Bit Rate
// Request or Notification (RFC 5104 §4.2.1.1, §4.2.2.1):
//
//	|                              SSRC                             |
//	| MxTBR Exp |  MxTBR Mantissa                 |Measured Overhead|
//
// The maximum total media bit rate is Mantissa·2^Exp bits per second
// (6-bit exponent, 17-bit mantissa); Overhead is the measured per-packet
// overhead in octets (9 bits). Exp and Mantissa are kept as received.
type TMMBREntry struct {
	SSRC     uint32
	Exp      uint8  // 6 bits
	Mantissa uint32 // 17 bits
	Overhead uint16 // 9 bits
}

// Bitrate returns Mantissa·2^Exp in bits per second, saturating at the
// largest uint64.
func (e *TMMBREntry) Bitrate() uint64 { return expBitrate(e.Mantissa, e.Exp) }

// SetBitrate encodes bps with the smallest exponent whose mantissa fits 17
// bits, truncating low bits (RFC 5104 §4.2.1.1). Any uint64 fits: the
// exponent stays at most 47.
func (e *TMMBREntry) SetBitrate(bps uint64) { e.Exp, e.Mantissa = splitBitrate(bps, 17) }

func (e *TMMBREntry) unmarshal(b []byte) {
	v := binary.BigEndian.Uint32(b[4:])
	*e = TMMBREntry{SSRC: binary.BigEndian.Uint32(b), Exp: uint8(v >> 26), Mantissa: v >> 9 & 0x1ffff, Overhead: uint16(v & 0x1ff)}
}

func (e *TMMBREntry) marshal(b []byte) error {
	if e.Exp > 63 || e.Mantissa > 0x1ffff || e.Overhead > 0x1ff {
		return fmt.Errorf("rtcp: TMMBR/TMMBN: exp %d / mantissa %d / overhead %d overflow 6/17/9 bits (RFC 5104 §4.2.1.1)", e.Exp, e.Mantissa, e.Overhead)
	}
	binary.BigEndian.PutUint32(b, e.SSRC)
	binary.BigEndian.PutUint32(b[4:], uint32(e.Exp)<<26|e.Mantissa<<9|uint32(e.Overhead))
	return nil
}

// TMMBR is a Temporary Maximum Media Stream Bit Rate Request (RTPFB FMT=3,
// RFC 5104 §4.2.1): one entry per media sender the request limits. The
// media source SSRC of the common header is not used and is 0 when sent
// (§4.2.1.2); it is kept as received. Entries is reused across Unmarshal
// calls.
type TMMBR struct {
	SenderSSRC uint32
	MediaSSRC  uint32
	Entries    []TMMBREntry
	Padding    []byte
}

// TMMBN is a Temporary Maximum Media Stream Bit Rate Notification (RTPFB
// FMT=4, RFC 5104 §4.2.2): the media sender's current bounding set, which
// may be empty (no FCI). Its layout is TMMBR's.
type TMMBN TMMBR

// Unmarshal parses a single TMMBR packet b; it needs at least one entry.
func (p *TMMBR) Unmarshal(b []byte) error { return p.unmarshal(b, FormatTMMBR, "TMMBR") }

// Unmarshal parses a single TMMBN packet b.
func (p *TMMBN) Unmarshal(b []byte) error { return (*TMMBR)(p).unmarshal(b, FormatTMMBN, "TMMBN") }

func (p *TMMBR) unmarshal(b []byte, fmtv uint8, what string) error {
	s, m, fci, pad, err := parseFeedback(b, TypeTransportFeedback, fmtv, what)
	if err != nil {
		return err
	}
	if len(fci)%8 != 0 {
		return fmt.Errorf("rtcp: %s: FCI of %d bytes, want a multiple of 8 (RFC 5104 §4.2.1.1)", what, len(fci))
	}
	if len(fci) == 0 && fmtv == FormatTMMBR {
		return fmt.Errorf("rtcp: TMMBR: no FCI entries, at least one required (RFC 5104 §4.2.1.1)")
	}
	p.SenderSSRC, p.MediaSSRC, p.Padding = s, m, pad
	p.Entries = p.Entries[:0]
	for i := 0; i < len(fci); i += 8 {
		p.Entries = append(p.Entries, TMMBREntry{})
		p.Entries[len(p.Entries)-1].unmarshal(fci[i:])
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *TMMBR) MarshalSize() int { return feedbackHeaderLength + 8*len(p.Entries) + len(p.Padding) }

// MarshalSize is the packet's size in bytes.
func (p *TMMBN) MarshalSize() int { return (*TMMBR)(p).MarshalSize() }

// MarshalTo writes the packet into b and returns the bytes written.
func (p *TMMBR) MarshalTo(b []byte) (int, error) {
	if len(p.Entries) == 0 {
		return 0, fmt.Errorf("rtcp: TMMBR: no FCI entries, at least one required (RFC 5104 §4.2.1.1)")
	}
	return p.marshalTo(b, FormatTMMBR, "TMMBR")
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *TMMBN) MarshalTo(b []byte) (int, error) {
	return (*TMMBR)(p).marshalTo(b, FormatTMMBN, "TMMBN")
}

func (p *TMMBR) marshalTo(b []byte, fmtv uint8, what string) (int, error) {
	n := p.MarshalSize()
	i, err := putFeedback(b, p.Padding, fmtv, TypeTransportFeedback, n, p.SenderSSRC, p.MediaSSRC, what)
	if err != nil {
		return 0, err
	}
	for k := range p.Entries {
		if err := p.Entries[k].marshal(b[i:]); err != nil {
			return 0, err
		}
		i += 8
	}
	copy(b[i:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *TMMBR) Marshal() ([]byte, error) { return marshal(p) }

// Marshal returns the packet in a new buffer.
func (p *TMMBN) Marshal() ([]byte, error) { return marshal(p) }
