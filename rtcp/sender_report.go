package rtcp

import (
	"encoding/binary"
	"fmt"
)

// SenderReport is an SR packet (RFC 3550 §6.4.1):
//
//	|V=2|P|    RC   |   PT=SR=200   |             length            |
//	|                         SSRC of sender                        |
//	|              NTP timestamp, most significant word             |
//	|             NTP timestamp, least significant word             |
//	|                         RTP timestamp                         |
//	|                     sender's packet count                     |
//	|                      sender's octet count                     |
//	|                 report block 1 .. RC                          |
//	|                  profile-specific extensions                  |
//
// Reports is reused across Unmarshal calls. ProfileExtensions and Padding
// reference the input.
type SenderReport struct {
	SSRC        uint32
	NTPTime     uint64
	RTPTime     uint32
	PacketCount uint32
	OctetCount  uint32
	Reports     []ReceptionReport
	// ProfileExtensions are the bytes after the report blocks within the
	// length (RFC 3550 §6.4.1), kept as received.
	ProfileExtensions []byte
	// Padding is the padding including its count octet; empty means P=0.
	Padding []byte
}

const senderInfoLength = 24 // SSRC + sender info

// Unmarshal parses a single SR packet b (exactly one packet long).
func (p *SenderReport) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeSenderReport, "SR")
	if err != nil {
		return err
	}
	if len(body) < senderInfoLength {
		return errTruncated("SR sender info", senderInfoLength, len(body), "RFC 3550 §6.4.1")
	}
	p.SSRC = binary.BigEndian.Uint32(body[0:])
	p.NTPTime = binary.BigEndian.Uint64(body[4:])
	p.RTPTime = binary.BigEndian.Uint32(body[12:])
	p.PacketCount = binary.BigEndian.Uint32(body[16:])
	p.OctetCount = binary.BigEndian.Uint32(body[20:])
	p.Reports, p.ProfileExtensions, err = unmarshalReports(p.Reports, body[senderInfoLength:], int(h.Count), "SR")
	p.Padding = pad
	return err
}

// MarshalSize is the packet's size in bytes.
func (p *SenderReport) MarshalSize() int {
	return headerLength + senderInfoLength + len(p.Reports)*receptionReportLength + len(p.ProfileExtensions) + len(p.Padding)
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *SenderReport) MarshalTo(b []byte) (int, error) {
	if len(p.Reports) > maxCount {
		return 0, fmt.Errorf("rtcp: SR: %d report blocks, at most 31 fit RC (RFC 3550 §6.4.1)", len(p.Reports))
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, uint8(len(p.Reports)), TypeSenderReport, n, "SR"); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], p.SSRC)
	binary.BigEndian.PutUint64(b[8:], p.NTPTime)
	binary.BigEndian.PutUint32(b[16:], p.RTPTime)
	binary.BigEndian.PutUint32(b[20:], p.PacketCount)
	binary.BigEndian.PutUint32(b[24:], p.OctetCount)
	marshalReports(b[headerLength+senderInfoLength:], p.Reports, p.ProfileExtensions, p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *SenderReport) Marshal() ([]byte, error) { return marshal(p) }

func marshal(m Marshaler) ([]byte, error) {
	b := make([]byte, m.MarshalSize())
	n, err := m.MarshalTo(b)
	return b[:n], err
}
