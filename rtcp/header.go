package rtcp

import (
	"encoding/binary"
	"fmt"
)

// PacketType is the 8-bit PT field of the common RTCP header (RFC 3550 §6.4,
// §12.1; IANA "RTCP Control Packet Types").
type PacketType uint8

// Packet types this package knows. Others are carried raw (RawPacket).
const (
	TypeSenderReport       PacketType = 200 // SR, RFC 3550 §6.4.1
	TypeReceiverReport     PacketType = 201 // RR, RFC 3550 §6.4.2
	TypeSourceDescription  PacketType = 202 // SDES, RFC 3550 §6.5
	TypeGoodbye            PacketType = 203 // BYE, RFC 3550 §6.6
	TypeApplicationDefined PacketType = 204 // APP, RFC 3550 §6.7
	TypeTransportFeedback  PacketType = 205 // RTPFB, RFC 4585 §6.2
	TypePayloadFeedback    PacketType = 206 // PSFB, RFC 4585 §6.3
	TypeExtendedReport     PacketType = 207 // XR, RFC 3611 §2
)

func (t PacketType) String() string {
	switch t {
	case TypeSenderReport:
		return "SR"
	case TypeReceiverReport:
		return "RR"
	case TypeSourceDescription:
		return "SDES"
	case TypeGoodbye:
		return "BYE"
	case TypeApplicationDefined:
		return "APP"
	case TypeTransportFeedback:
		return "RTPFB"
	case TypePayloadFeedback:
		return "PSFB"
	case TypeExtendedReport:
		return "XR"
	}
	return fmt.Sprintf("PT%d", uint8(t))
}

// Feedback message types (the FMT field, carried in the count position of the
// header) for RTPFB and PSFB packets.
const (
	FormatNACK      = 1  // RTPFB generic NACK, RFC 4585 §6.2.1
	FormatTMMBR     = 3  // RTPFB temporary maximum media stream bit rate request, RFC 5104 §4.2.1
	FormatTMMBN     = 4  // RTPFB temporary maximum media stream bit rate notification, RFC 5104 §4.2.2
	FormatCCFB      = 11 // RTPFB congestion control feedback, RFC 8888 §3.1
	FormatTWCC      = 15 // RTPFB transport-wide CC, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1
	FormatPLI       = 1  // PSFB picture loss indication, RFC 4585 §6.3.1
	FormatSLI       = 2  // PSFB slice loss indication, RFC 4585 §6.3.2
	FormatFIR       = 4  // PSFB full intra request, RFC 5104 §4.3.1
	FormatAppLayer  = 15 // PSFB application layer feedback (REMB uses it), RFC 4585 §6.4
	rtcpVersion     = 2
	headerLength    = 4
	maxCount        = 31
	maxPacketLength = 4 * 65536
)

// Header is the common first word of every RTCP packet (RFC 3550 §6.4.1):
//
//	 0                   1                   2                   3
//	|V=2|P|  Count  |      PT       |             length            |
//
// Count is RC, SC, FMT or the APP subtype depending on PT. Length is the
// packet size in 32-bit words minus one, padding included.
type Header struct {
	Padding bool
	Count   uint8
	Type    PacketType
	Length  uint16
}

// Size is the packet's size in bytes as given by Length.
func (h Header) Size() int { return (int(h.Length) + 1) * 4 }

// Unmarshal reads the first four bytes of b. It checks the version only; the
// length is not compared with len(b).
func (h *Header) Unmarshal(b []byte) error {
	if len(b) < headerLength {
		return fmt.Errorf("rtcp: header needs 4 bytes, have %d (RFC 3550 §6.4.1)", len(b))
	}
	if v := b[0] >> 6; v != rtcpVersion {
		return fmt.Errorf("rtcp: version %d, want 2 (RFC 3550 §6.4.1)", v)
	}
	h.Padding = b[0]&0x20 != 0
	h.Count = b[0] & 0x1f
	h.Type = PacketType(b[1])
	h.Length = binary.BigEndian.Uint16(b[2:4])
	return nil
}

// MarshalTo writes the header into b[:4].
func (h Header) MarshalTo(b []byte) (int, error) {
	if len(b) < headerLength {
		return 0, errShortBuffer("header", headerLength, len(b))
	}
	if h.Count > maxCount {
		return 0, fmt.Errorf("rtcp: count %d does not fit 5 bits (RFC 3550 §6.4.1)", h.Count)
	}
	b[0] = rtcpVersion<<6 | h.Count
	if h.Padding {
		b[0] |= 0x20
	}
	b[1] = byte(h.Type)
	binary.BigEndian.PutUint16(b[2:4], h.Length)
	return headerLength, nil
}

// parsePacket checks the header of a single packet b against its type, its
// length field against len(b), and splits off the padding. body is b without
// header and padding; pad is the padding including its count octet (nil when
// P is clear).
func parsePacket(b []byte, want PacketType, what string) (h Header, body, pad []byte, err error) {
	if err = h.Unmarshal(b); err != nil {
		return h, nil, nil, err
	}
	if h.Type != want {
		return h, nil, nil, fmt.Errorf("rtcp: %s: packet type %d, want %d (RFC 3550 §6.4.1 PT)", what, h.Type, want)
	}
	if h.Size() != len(b) {
		return h, nil, nil, fmt.Errorf("rtcp: %s: length field says %d bytes, have %d (RFC 3550 §6.4.1)", what, h.Size(), len(b))
	}
	body, pad, err = splitPadding(b, h.Padding, what)
	return h, body, pad, err
}

// splitPadding returns the packet body after the header and the padding
// octets. RFC 3550 §6.4.1: the last octet of the padding is a count of how
// many padding octets should be ignored, including itself.
func splitPadding(b []byte, padded bool, what string) (body, pad []byte, err error) {
	if !padded {
		return b[headerLength:], nil, nil
	}
	n := int(b[len(b)-1])
	if n == 0 || n > len(b)-headerLength {
		return nil, nil, fmt.Errorf("rtcp: %s: padding count %d invalid for %d-byte packet (RFC 3550 §6.4.1)", what, n, len(b))
	}
	return b[headerLength : len(b)-n], b[len(b)-n:], nil
}

// checkPadding validates padding supplied for marshalling.
func checkPadding(pad []byte, what string) error {
	if len(pad) == 0 {
		return nil
	}
	if int(pad[len(pad)-1]) != len(pad) {
		return fmt.Errorf("rtcp: %s: padding of %d octets ends with count %d (RFC 3550 §6.4.1)", what, len(pad), pad[len(pad)-1])
	}
	return nil
}

// putHeader writes the header of a packet whose total size is size bytes
// (padding included) after checking that size is a whole number of words.
func putHeader(b []byte, pad []byte, count uint8, t PacketType, size int, what string) error {
	if size%4 != 0 {
		return fmt.Errorf("rtcp: %s: size %d is not a multiple of 4 (RFC 3550 §6.4.1)", what, size)
	}
	if size > maxPacketLength {
		return fmt.Errorf("rtcp: %s: size %d exceeds the 16-bit length field (RFC 3550 §6.4.1)", what, size)
	}
	if len(b) < size {
		return errShortBuffer(what, size, len(b))
	}
	if err := checkPadding(pad, what); err != nil {
		return err
	}
	if count > maxCount {
		return fmt.Errorf("rtcp: %s: count %d does not fit 5 bits (RFC 3550 §6.4.1)", what, count)
	}
	b[0] = rtcpVersion<<6 | count
	if len(pad) > 0 {
		b[0] |= 0x20
	}
	b[1] = byte(t)
	binary.BigEndian.PutUint16(b[2:4], uint16(size/4-1))
	return nil
}

func errShortBuffer(what string, need, have int) error {
	return fmt.Errorf("rtcp: %s: buffer of %d bytes, need %d", what, have, need)
}

func errTruncated(what string, need, have int, rule string) error {
	return fmt.Errorf("rtcp: %s: needs %d bytes, have %d (%s)", what, need, have, rule)
}
