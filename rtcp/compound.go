package rtcp

import (
	"bytes"
	"fmt"
)

// Packet is a view of one RTCP packet inside a compound packet: its parsed
// header and its bytes (header and padding included), referencing the input.
type Packet struct {
	Header
	Raw []byte
}

// Kind names the concrete packet structure that decodes p, looking at PT,
// FMT and (for application-layer feedback) the "REMB" identifier.
func (p *Packet) Kind() Kind {
	switch p.Type {
	case TypeSenderReport:
		return KindSenderReport
	case TypeReceiverReport:
		return KindReceiverReport
	case TypeSourceDescription:
		return KindSourceDescription
	case TypeGoodbye:
		return KindGoodbye
	case TypeApplicationDefined:
		return KindApplicationDefined
	case TypeExtendedReport:
		return KindExtendedReport
	case TypeTransportFeedback:
		switch p.Count {
		case FormatNACK:
			return KindNACK
		case FormatTMMBR:
			return KindTMMBR
		case FormatTMMBN:
			return KindTMMBN
		case FormatCCFB:
			return KindCCFeedback
		case FormatTWCC:
			return KindTransportCC
		}
	case TypePayloadFeedback:
		switch p.Count {
		case FormatPLI:
			return KindPLI
		case FormatSLI:
			return KindSLI
		case FormatFIR:
			return KindFIR
		case FormatAppLayer:
			if len(p.Raw) >= 16 && bytes.Equal(p.Raw[12:16], rembIdentifier[:]) {
				return KindREMB
			}
		}
	}
	return KindRaw
}

// Kind is the decoded form of a packet; see Packet.Kind.
type Kind uint8

// The kinds of packet this package decodes. KindRaw is everything else
// (unknown PT, unknown FMT), which RawPacket keeps as bytes.
const (
	KindRaw Kind = iota
	KindSenderReport
	KindReceiverReport
	KindSourceDescription
	KindGoodbye
	KindApplicationDefined
	KindExtendedReport
	KindNACK
	KindCCFeedback
	KindTransportCC
	KindPLI
	KindSLI
	KindFIR
	KindREMB
	KindTMMBR
	KindTMMBN
)

var kindNames = [...]string{"Raw", "SenderReport", "ReceiverReport", "SourceDescription", "Goodbye",
	"ApplicationDefined", "ExtendedReport", "NACK", "CCFeedback", "TransportCC", "PLI", "SLI", "FIR", "REMB",
	"TMMBR", "TMMBN"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Iterator walks the packets of a compound RTCP packet without allocating:
//
//	it := rtcp.NewIterator(buf)
//	var p rtcp.Packet
//	for it.Next(&p) { ... p.Kind(), p.Raw ... }
//	if err := it.Err(); err != nil { ... }
//
// Each packet's version and length are checked (RFC 3550 §6.4.1); the
// compound rules of RFC 3550 Appendix A.2 are ValidateCompound's job.
type Iterator struct {
	rest   []byte
	offset int
	err    error
}

// NewIterator returns an iterator over the compound packet b.
func NewIterator(b []byte) Iterator { return Iterator{rest: b} }

// Reset points the iterator at a new compound packet.
func (it *Iterator) Reset(b []byte) { *it = Iterator{rest: b} }

// Next stores the next packet in p and reports whether there was one. It
// returns false at the end of the input or on a malformed header (see Err).
func (it *Iterator) Next(p *Packet) bool {
	if it.err != nil || len(it.rest) == 0 {
		return false
	}
	if err := p.Header.Unmarshal(it.rest); err != nil {
		it.err = fmt.Errorf("%w (packet at offset %d)", err, it.offset)
		return false
	}
	n := p.Size()
	if n > len(it.rest) {
		it.err = fmt.Errorf("rtcp: packet at offset %d: length field says %d bytes, %d remain (RFC 3550 §6.4.1)", it.offset, n, len(it.rest))
		return false
	}
	p.Raw = it.rest[:n:n]
	it.rest = it.rest[n:]
	it.offset += n
	return true
}

// Err is the error that stopped iteration, or nil at a clean end.
func (it *Iterator) Err() error { return it.err }

// Offset is the byte offset of the next packet in the compound.
func (it *Iterator) Offset() int { return it.offset }

// ValidateCompound applies the RTCP header validity checks of RFC 3550
// Appendix A.2 (the compound rules of §6.1) to a whole compound packet:
// every packet has version 2, the first one is an SR or RR with the padding
// bit clear, only the last one may carry padding, and the length fields add
// up to len(b). A.2: "The padding bit (P) should be zero for the first
// packet of a compound RTCP packet because padding should only be applied,
// if it is needed, to the last packet"; its RTCP_VALID_MASK test rejects a
// padded first packet even when it is the only one.
//
// The SDES CNAME that §6.1 also requires in every compound is not checked
// (Appendix A.2 does not either).
func ValidateCompound(b []byte) error { return validate(b, false) }

// ValidateReducedSize applies the relaxed checks of RFC 5506 §3.4 for
// reduced-size RTCP (negotiated with a=rtcp-rsize, RFC 5506 §5): any packet
// type may come first; version, padding placement and lengths are still
// checked as in RFC 3550 Appendix A.2.
func ValidateReducedSize(b []byte) error { return validate(b, true) }

func validate(b []byte, reduced bool) error {
	if len(b) == 0 {
		return fmt.Errorf("rtcp: empty compound packet (RFC 3550 §6.1)")
	}
	it := NewIterator(b)
	var p Packet
	i := 0
	for it.Next(&p) {
		if i == 0 && !reduced && p.Type != TypeSenderReport && p.Type != TypeReceiverReport {
			return fmt.Errorf("rtcp: compound starts with %v, want SR or RR (RFC 3550 §6.1, A.2; reduced-size per RFC 5506 §3.4 allows it)", p.Type)
		}
		if p.Padding && it.Offset() != len(b) {
			return fmt.Errorf("rtcp: packet %d (%v) has padding but is not the last of the compound (RFC 3550 §6.4.1, A.2)", i, p.Type)
		}
		if i == 0 && !reduced && p.Padding {
			return fmt.Errorf("rtcp: first packet (%v) of a compound has the padding bit set (RFC 3550 A.2)", p.Type)
		}
		if p.Padding {
			if _, _, err := splitPadding(p.Raw, true, p.Type.String()); err != nil {
				return err
			}
		}
		i++
	}
	return it.Err()
}

// Marshaler is implemented by every packet type in this package.
type Marshaler interface {
	MarshalSize() int
	MarshalTo(b []byte) (int, error)
}

// AppendCompound marshals pkts one after another onto dst and returns the
// extended slice. Callers building a full compound put an SR or RR first
// (RFC 3550 §6.1); that is not checked here. What is checked is the rule
// of RFC 3550 §6.4.1 that "padding MUST only be added to the last
// individual packet": a packet with the P bit set (a TWCCBuilder packet,
// for one) must be the last of pkts. On error dst is returned unextended.
func AppendCompound(dst []byte, pkts ...Marshaler) ([]byte, error) {
	orig := len(dst)
	for i, p := range pkts {
		n := p.MarshalSize()
		start := len(dst)
		dst = grow(dst, n)
		w, err := p.MarshalTo(dst[start:])
		if err != nil {
			return dst[:orig], err
		}
		if w > 0 && dst[start]&0x20 != 0 && i != len(pkts)-1 {
			return dst[:orig], fmt.Errorf("rtcp: packet %d of %d (PT %d) has padding but is not the last of the compound (RFC 3550 §6.4.1)", i, len(pkts), dst[start+1])
		}
		dst = dst[:start+w]
	}
	return dst, nil
}

// reuse returns buf[:n] when buf's capacity allows, else a new n-byte
// slice: the builders that encode into a caller's buffer never panic on a
// short one.
func reuse(buf []byte, n int) []byte {
	if cap(buf) < n {
		return make([]byte, n)
	}
	return buf[:n]
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}
