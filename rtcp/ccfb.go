package rtcp

import (
	"encoding/binary"
	"fmt"
	"time"
)

// CCFeedback is an RTP Congestion Control Feedback packet (RTPFB FMT=11,
// RFC 8888 §3.1). Unlike other feedback it has no media source SSRC: the
// sender SSRC is followed by one report block per RTP stream and a report
// timestamp.
//
//	|V=2|P| FMT=11  |   PT = 205    |          length               |
//	|                 SSRC of RTCP packet sender                    |
//	|                   SSRC of 1st RTP Stream                      |
//	|          begin_seq            |          num_reports          |
//	|R|ECN|  Arrival time offset    | ...                           .
//	.                                                               .
//	|                 Report Timestamp (32 bits)                    |
//
// Blocks is reused across Unmarshal calls; block metrics reference the
// input.
type CCFeedback struct {
	SenderSSRC      uint32
	Blocks          []CCFeedbackBlock
	ReportTimestamp uint32 // middle 32 bits of an NTP timestamp (RFC 8888 §3.1)
	Padding         []byte
}

// CCFeedbackBlock reports on one RTP stream: a 16-bit metric for each of
// NumReports packets from BeginSeq on. RFC 8888 §3.1: "The value of
// num_reports MAY be 0, indicating that there are no packet metric blocks
// included for that SSRC."
//
// RFC 8888 §3.1 says the range is begin_seq to begin_seq+num_reports
// "inclusive"; like pion and libwebrtc, and the num_reports name itself, this
// package reads num_reports as the number of metric blocks (see doc.go).
type CCFeedbackBlock struct {
	SSRC     uint32
	BeginSeq uint16
	// Metrics holds NumReports()·2 bytes of metric blocks followed by two
	// zero bytes when NumReports is odd (RFC 8888 §3.1), as received.
	Metrics    []byte
	numReports int
}

// NumReports is the number of packets the block reports on.
func (b *CCFeedbackBlock) NumReports() int { return b.numReports }

// CCMetric is one packet's metric block (RFC 8888 §3.1).
type CCMetric struct {
	Received bool
	ECN      uint8  // ECN bits as received (RFC 3168 §5: 00 Not-ECT, 01 ECT(1), 10 ECT(0), 11 CE)
	ATO      uint16 // arrival time offset before ReportTimestamp, 1/1024 s (CCArrivalOffset); 0x1FFE over range, 0x1FFF unavailable (RFC 8888 §3.1)
}

// Metric returns the metric of packet BeginSeq+i.
func (b *CCFeedbackBlock) Metric(i int) CCMetric {
	v := binary.BigEndian.Uint16(b.Metrics[2*i:])
	return CCMetric{Received: v&0x8000 != 0, ECN: uint8(v>>13) & 3, ATO: v & 0x1fff}
}

// Encode returns the 16-bit metric block.
func (m CCMetric) Encode() uint16 {
	v := uint16(m.ECN&3)<<13 | m.ATO&0x1fff
	if m.Received {
		v |= 0x8000
	}
	return v
}

// ccfbMaxReports is the sender's limit per block, RFC 8888 §3.1: "Each
// report block MUST NOT include more than 16384 packet metric blocks (i.e.,
// it MUST NOT report on more than one quarter of the sequence number space
// in a single report)." Both Unmarshal and MarshalTo refuse more, so that
// whatever parses also marshals back.
const ccfbMaxReports = 16384

// ATO special values and unit (RFC 8888 §3.1).
const (
	CCATOOverRange   = 0x1ffe // arrival more than 8189/1024 s before the report timestamp
	CCATOUnavailable = 0x1fff // no measurement, or arrival after the report timestamp
)

// CCArrivalOffset encodes how long before the report timestamp a packet
// arrived as a 13-bit ATO in 1/1024 s, truncating, with the rules of
// RFC 8888 §3.1: "If the measured value is greater than 8189/1024 seconds
// (the value that would be coded as 0x1FFD), the value 0x1FFE MUST be
// reported to indicate an over-range measurement. If the measurement is
// unavailable or if the arrival time of the RTP packet is after the time
// represented by the RTS field, then an ATO value of 0x1FFF MUST be
// reported for the packet."
func CCArrivalOffset(before time.Duration) uint16 {
	if before < 0 {
		return CCATOUnavailable
	}
	if before > 8*time.Second || before*1024 > 8189*time.Second {
		return CCATOOverRange
	}
	return uint16(before * 1024 / time.Second)
}

// Unmarshal parses a single congestion control feedback packet b.
func (p *CCFeedback) Unmarshal(b []byte) error {
	h, body, pad, err := parsePacket(b, TypeTransportFeedback, "CCFB")
	if err != nil {
		return err
	}
	if h.Count != FormatCCFB {
		return fmt.Errorf("rtcp: CCFB: FMT %d, want 11 (RFC 8888 §3.1)", h.Count)
	}
	if len(body) < 8 {
		return errTruncated("CCFB sender SSRC and report timestamp", 8, len(body), "RFC 8888 §3.1")
	}
	p.Padding = pad
	p.SenderSSRC = binary.BigEndian.Uint32(body)
	end := len(body) - 4
	p.ReportTimestamp = binary.BigEndian.Uint32(body[end:])
	p.Blocks = p.Blocks[:0]
	for i := 4; i < end; {
		if i+8 > end {
			return errTruncated(fmt.Sprintf("CCFB report block %d", len(p.Blocks)), 8, end-i, "RFC 8888 §3.1")
		}
		n := int(binary.BigEndian.Uint16(body[i+6:]))
		if n > ccfbMaxReports {
			return fmt.Errorf("rtcp: CCFB: report block %d: num_reports %d, at most 16384 (RFC 8888 §3.1)", len(p.Blocks), n)
		}
		size := 2 * (n + n%2)
		if i+8+size > end {
			return fmt.Errorf("rtcp: CCFB: report block %d: num_reports %d needs %d bytes, %d left (RFC 8888 §3.1)", len(p.Blocks), n, size, end-i-8)
		}
		p.Blocks = append(p.Blocks, CCFeedbackBlock{
			SSRC:       binary.BigEndian.Uint32(body[i:]),
			BeginSeq:   binary.BigEndian.Uint16(body[i+4:]),
			Metrics:    body[i+8 : i+8+size],
			numReports: n,
		})
		i += 8 + size
	}
	return nil
}

// MarshalSize is the packet's size in bytes.
func (p *CCFeedback) MarshalSize() int {
	n := headerLength + 8 + len(p.Padding)
	for i := range p.Blocks {
		n += 8 + len(p.Blocks[i].Metrics)
	}
	return n
}

// MarshalTo writes the packet into b and returns the bytes written.
func (p *CCFeedback) MarshalTo(b []byte) (int, error) {
	for i := range p.Blocks {
		blk := &p.Blocks[i]
		if want := 2 * (blk.numReports + blk.numReports%2); len(blk.Metrics) != want {
			return 0, fmt.Errorf("rtcp: CCFB: block %d: %d metric bytes for %d reports, want %d (RFC 8888 §3.1)", i, len(blk.Metrics), blk.numReports, want)
		}
		if blk.numReports > ccfbMaxReports {
			return 0, fmt.Errorf("rtcp: CCFB: block %d: %d metric blocks, at most 16384 (RFC 8888 §3.1)", i, blk.numReports)
		}
	}
	n := p.MarshalSize()
	if err := putHeader(b, p.Padding, FormatCCFB, TypeTransportFeedback, n, "CCFB"); err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint32(b[4:], p.SenderSSRC)
	i := 8
	for k := range p.Blocks {
		blk := &p.Blocks[k]
		binary.BigEndian.PutUint32(b[i:], blk.SSRC)
		binary.BigEndian.PutUint16(b[i+4:], blk.BeginSeq)
		binary.BigEndian.PutUint16(b[i+6:], uint16(blk.numReports))
		i += 8 + copy(b[i+8:], blk.Metrics)
	}
	binary.BigEndian.PutUint32(b[i:], p.ReportTimestamp)
	copy(b[i+4:], p.Padding)
	return n, nil
}

// Marshal returns the packet in a new buffer.
func (p *CCFeedback) Marshal() ([]byte, error) { return marshal(p) }

// NewCCFeedbackBlock encodes metrics for packets beginSeq.. into buf
// (reused when large enough) and returns the block.
func NewCCFeedbackBlock(ssrc uint32, beginSeq uint16, metrics []CCMetric, buf []byte) CCFeedbackBlock {
	n := len(metrics)
	size := 2 * (n + n%2)
	buf = reuse(buf, size)
	for i, m := range metrics {
		binary.BigEndian.PutUint16(buf[2*i:], m.Encode())
	}
	if n%2 == 1 {
		buf[size-2], buf[size-1] = 0, 0
	}
	return CCFeedbackBlock{SSRC: ssrc, BeginSeq: beginSeq, Metrics: buf, numReports: n}
}
