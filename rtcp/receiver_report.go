package rtcp

import (
	"encoding/binary"
	"fmt"
)

// ReceiverReport is an RR packet (RFC 3550 §6.4.2):
//
//	|V=2|P|    RC   |   PT=RR=201   |             length            |
//	|                     SSRC of packet sender                     |
//	|                 report block 1 .. RC                          |
//	|                  profile-specific extensions                  |
//
// Reports is reused across Unmarshal calls. ProfileExtensions and Padding
// reference the input.
type ReceiverReport struct {
	SSRC              uint32
	Reports           []ReceptionReport
	ProfileExtensions []byte
	Padding           []byte
}

// Unmarshal parses a single RR packet b.
func (p *ReceiverReport) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeReceiverReport, "RR")
	if err != nil {
		return err
	}
	if len(body) < 4 {
		return errTruncated("RR sender SSRC", 4, len(body), "RFC 3550 §6.4.2")
	}
	p.SSRC = binary.BigEndian.Uint32(body)
	p.Reports, p.ProfileExtensions, err = unmarshalReports(p.Reports, body[4:], int(h.Count), "RR")
	p.Padding = pad
	return err
}

// MarshalSize is the packet's size in bytes.
func (p *ReceiverReport) MarshalSize() int {
	return headerLength + 4 + len(p.Reports)*receptionReportLength + len(p.ProfileExtensions) + len(p.Padding)
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *ReceiverReport) MarshalTo(b []byte) (int, error) {
	if len(p.Reports) > maxCount {
		return 0, fmt.Errorf("rtcp: RR: %d report blocks, at most 31 fit RC (RFC 3550 §6.4.2)", len(p.Reports))
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, uint8(len(p.Reports)), TypeReceiverReport, n, "RR"); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], p.SSRC)
	marshalReports(b[8:], p.Reports, p.ProfileExtensions, p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *ReceiverReport) Marshal() ([]byte, error) { return marshal(p) }

// AppendReceiverReports appends RR packets from ssrc carrying reports onto
// dst: one RR when there are at most 31 blocks (an empty one when there are
// none), otherwise as many as needed, because RFC 3550 §6.1 says: "If the
// number of sources for which reception statistics are being reported
// exceeds 31, the number that will fit into one SR or RR packet, then
// additional RR packets SHOULD follow the initial report packet." It does
// not allocate when dst has room. On error dst is returned unextended.
func AppendReceiverReports(dst []byte, ssrc uint32, reports []ReceptionReport) ([]byte, error) {
	orig := len(dst)
	for first := true; first || len(reports) > 0; first = false {
		n := min(len(reports), maxCount)
		rr := ReceiverReport{SSRC: ssrc, Reports: reports[:n]}
		start := len(dst)
		dst = grow(dst, rr.MarshalSize())
		if _, err := rr.MarshalTo(dst[start:]); err != nil {
			return dst[:orig], err
		}
		reports = reports[n:]
	}
	return dst, nil
}
